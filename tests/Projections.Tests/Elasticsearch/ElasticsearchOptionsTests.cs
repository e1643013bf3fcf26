using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EventSourcing.Projections.Sinks.Elasticsearch;
using EventSourcing.Projections.Tests.Elasticsearch.Transport;

namespace EventSourcing.Projections.Tests.Elasticsearch;

public sealed class ElasticsearchOptionsTests
{
    private const string ApiKeySecret = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
    private const string PasswordSecret = "s3cr3t-Pa55w0rd!";
    private static readonly Uri Https = new("https://es.internal:9200");

    [Fact]
    public void options_with_an_api_key_over_https_are_valid()
    {
        var options = new ElasticsearchOptions { Urls = [Https], ApiKey = ApiKeySecret };

        Assert.Same(options, options.Validate());
        Assert.Equal("api-key", options.AuthenticationKind);
    }

    [Fact]
    public void missing_urls_fail_at_startup_naming_the_setting()
    {
        var error = Assert.Throws<ElasticsearchOptionsException>(() => new ElasticsearchOptions().Validate());

        Assert.Contains("Projections:Elasticsearch:Urls is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void credentials_inside_a_url_are_rejected_without_echoing_them()
    {
        var options = new ElasticsearchOptions { Urls = [new Uri($"https://elastic:{PasswordSecret}@es.internal:9200")] };

        var error = Assert.Throws<ElasticsearchOptionsException>(() => options.Validate());

        Assert.Contains("Urls[0] (https://es.internal:9200) contains credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PasswordSecret, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api-key-and-basic", "configure exactly one authentication method")]
    [InlineData("username-only", "Username is set but Password is missing")]
    [InlineData("password-only", "Password is set but Username is missing")]
    [InlineData("http-with-credentials", "is plain http but credentials are configured")]
    [InlineData("http-with-tls", "is plain http but TLS settings are configured")]
    [InlineData("bad-fingerprint", "CertificateFingerprint 'abc' is not a SHA-256 fingerprint")]
    [InlineData("fingerprint-and-ca", "CertificateFingerprint and CertificateAuthorityPath are both set")]
    [InlineData("missing-ca-file", "CertificateAuthorityPath '/nonexistent/http_ca.crt' does not exist")]
    [InlineData("zero-attempts", "MaxBulkAttempts is 0; it must be at least 1")]
    [InlineData("backoff-inverted", "MaxBackoff (00:00:01) is below InitialBackoff (00:00:05)")]
    public void each_invalid_setting_is_named_in_the_startup_error(string scenario, string expected)
    {
        var valid = new ElasticsearchOptions { Urls = [Https] };
        var options = scenario switch
        {
            "api-key-and-basic" => valid with { ApiKey = ApiKeySecret, Username = "elastic", Password = PasswordSecret },
            "username-only" => valid with { Username = "elastic" },
            "password-only" => valid with { Password = PasswordSecret },
            "http-with-credentials" => valid with { Urls = [new Uri("http://es.internal:9200")], ApiKey = ApiKeySecret },
            "http-with-tls" => valid with { Urls = [new Uri("http://es.internal:9200")], CertificateFingerprint = new string('a', 64) },
            "bad-fingerprint" => valid with { CertificateFingerprint = "abc" },
            "fingerprint-and-ca" => valid with { CertificateFingerprint = new string('a', 64), CertificateAuthorityPath = "/nonexistent/http_ca.crt" },
            "missing-ca-file" => valid with { CertificateAuthorityPath = "/nonexistent/http_ca.crt" },
            "zero-attempts" => valid with { MaxBulkAttempts = 0 },
            "backoff-inverted" => valid with { InitialBackoff = TimeSpan.FromSeconds(5), MaxBackoff = TimeSpan.FromSeconds(1) },
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "unknown scenario"),
        };

        var error = Assert.Throws<ElasticsearchOptionsException>(() => options.Validate());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeySecret, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(PasswordSecret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void credentials_over_http_are_allowed_only_when_asked_for_a_local_cluster()
    {
        var options = new ElasticsearchOptions { Urls = [new Uri("http://localhost:9200")], Username = "elastic", Password = PasswordSecret, AllowCredentialsOverHttp = true };

        options.Validate();
    }

    [Fact]
    public void secrets_never_appear_in_to_string_or_the_status_description()
    {
        var withKey = new ElasticsearchOptions { Urls = [Https], ApiKey = ApiKeySecret, CertificateFingerprint = new string('b', 64) };
        var withPassword = new ElasticsearchOptions { Urls = [Https], Username = "elastic", Password = PasswordSecret };

        foreach (var text in new[] { withKey.ToString(), withKey.Describe(), withPassword.ToString(), withPassword.Describe() })
        {
            Assert.DoesNotContain(ApiKeySecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(PasswordSecret, text, StringComparison.Ordinal);
        }

        Assert.Contains("ApiKey = ***", withKey.ToString(), StringComparison.Ordinal);
        Assert.Contains("Password = ***", withPassword.ToString(), StringComparison.Ordinal);
        Assert.Equal("urls=https://es.internal:9200/ auth=basic tls=system-trust-store refresh=False", withPassword.Describe());
        Assert.Equal("urls=https://es.internal:9200/ auth=api-key tls=certificate-fingerprint refresh=False", withKey.Describe());
    }

    [Fact]
    public async Task the_api_key_is_sent_as_an_apikey_header_and_never_appears_in_a_failure()
    {
        using var es = new ScriptedElasticsearch().On("POST", "/orders-v1/_mget",
            EsResponses.Error(401, "security_exception", "unable to authenticate with provided credentials and anonymous access is not allowed for this request"));
        var client = es.Client(ScriptedElasticsearch.DefaultOptions with { Urls = [Https], ApiKey = ApiKeySecret });

        var error = await Assert.ThrowsAsync<ElasticsearchSinkException>(() =>
            new ElasticsearchDocumentReader(client).LoadAsync<OrderSummary>("orders-v1", ["o-1"], CancellationToken.None));

        Assert.Equal("ApiKey " + ApiKeySecret, es.Requests.Single().Authorization);
        Assert.False(error.IsTransient);
        Assert.Equal(401, error.StatusCode);
        Assert.Contains("security_exception", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeySecret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task basic_credentials_are_sent_and_never_appear_in_a_failure()
    {
        using var es = new ScriptedElasticsearch().On("POST", "/orders-v1/_bulk",
            EsResponses.Error(403, "security_exception", "action [indices:data/write/bulk[s]] is unauthorized for user [projector] with effective roles [viewer] on indices [orders-v1]"));
        var client = es.Client(ScriptedElasticsearch.DefaultOptions with { Urls = [Https], Username = "projector", Password = PasswordSecret });
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("projector:" + PasswordSecret));

        var error = await Assert.ThrowsAsync<ElasticsearchSinkException>(() => new ElasticsearchBulkWriter(client, ScriptedElasticsearch.DefaultOptions)
            .WriteAsync("orders-v1", [new DocumentWrite<OrderSummary>("o-1", OrderSummaryIndex.Order(1), 7)], CancellationToken.None));

        Assert.Equal("Basic " + encoded, es.Requests.Single().Authorization);
        Assert.Equal(403, error.StatusCode);
        Assert.DoesNotContain(PasswordSecret, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(encoded, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_unreachable_node_is_a_transient_failure_whose_message_holds_no_secret()
    {
        // A real socket: nothing listens on port 1 of the loopback address.
        var options = ScriptedElasticsearch.DefaultOptions with
        {
            Urls = [new Uri("http://127.0.0.1:1")], ApiKey = ApiKeySecret, AllowCredentialsOverHttp = true, RequestTimeout = TimeSpan.FromSeconds(5),
        };
        var client = ElasticsearchClientFactory.Create(options);

        var error = await Assert.ThrowsAsync<ElasticsearchSinkException>(() =>
            new ElasticsearchDocumentReader(client).LoadAsync<OrderSummary>("orders-v1", ["o-1"], CancellationToken.None));

        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.DoesNotContain(ApiKeySecret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void a_certificate_authority_file_is_loaded_into_the_client()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(Path.GetTempPath(), $"http_ca_{Guid.NewGuid():N}.crt");
        File.WriteAllText(path, authority.ExportCertificatePem());
        try
        {
            var client = ElasticsearchClientFactory.Create(new ElasticsearchOptions { Urls = [Https], CertificateAuthorityPath = path, ApiKey = ApiKeySecret });

            Assert.NotNull(client.ElasticsearchClientSettings.ServerCertificateValidationCallback);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void a_certificate_fingerprint_is_passed_to_the_transport()
    {
        var fingerprint = "A1:" + string.Join(':', Enumerable.Repeat("B2", 31));
        var client = ElasticsearchClientFactory.Create(new ElasticsearchOptions { Urls = [Https], CertificateFingerprint = fingerprint, ApiKey = ApiKeySecret });

        Assert.Equal(fingerprint, client.ElasticsearchClientSettings.CertificateFingerprint);
    }

    [Fact]
    public void http_compression_is_off_unless_asked_for_and_shown_in_the_options()
    {
        var plain = new ElasticsearchOptions { Urls = [Https], ApiKey = ApiKeySecret };
        var compressed = plain with { HttpCompression = true };

        Assert.Equal(false, ElasticsearchClientFactory.Create(plain).ElasticsearchClientSettings.EnableHttpCompression);
        Assert.Equal(true, ElasticsearchClientFactory.Create(compressed).ElasticsearchClientSettings.EnableHttpCompression);
        Assert.Contains("HttpCompression = True", compressed.ToString(), StringComparison.Ordinal);
    }
}
