using System.Text;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// How the Elasticsearch sink connects and writes. Bound from the <see cref="SectionName"/> configuration
/// section and validated at startup with <see cref="Validate"/>, so a bad setting fails the host before the
/// first batch, with a message naming the setting. Secrets (<see cref="ApiKey"/>, <see cref="Password"/>) are
/// never printed: <see cref="ToString"/> and <see cref="Describe"/> redact them.
/// </summary>
public sealed record ElasticsearchOptions
{
    public const string SectionName = "Projections:Elasticsearch";

    /// <summary>One or more node URLs (http or https), without credentials in them.</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [];

    /// <summary>An API key in the encoded form Elasticsearch returns (<c>encoded</c> field). Secret.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Basic authentication user; requires <see cref="Password"/>. Not allowed with <see cref="ApiKey"/>.</summary>
    public string? Username { get; init; }

    /// <summary>Basic authentication password. Secret.</summary>
    public string? Password { get; init; }

    /// <summary>SHA-256 fingerprint of the server's CA or node certificate (hex, colons optional), as printed by Elasticsearch at first start.</summary>
    public string? CertificateFingerprint { get; init; }

    /// <summary>Path to a PEM or DER file with the CA certificate that signed the node certificates (e.g. <c>config/certs/http_ca.crt</c>).</summary>
    public string? CertificateAuthorityPath { get; init; }

    /// <summary>Allows credentials over plain http (a local development cluster only).</summary>
    public bool AllowCredentialsOverHttp { get; init; }

    /// <summary>Refresh policy of bulk writes: <c>False</c> (default, fastest), <c>WaitFor</c>, or <c>True</c>.</summary>
    public RefreshPolicy Refresh { get; init; } = RefreshPolicy.False;

    /// <summary>Attempts per bulk call for items answered with 429 or 5xx before the batch fails as transient.</summary>
    public int MaxBulkAttempts { get; init; } = 5;

    /// <summary>Backoff before the second attempt; doubled on every further attempt, with jitter.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one backoff.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gzip request bodies and accept gzip responses. Off by default, as in Elasticsearch's Python, Java, Go and
    /// JavaScript clients: compressing a bulk body costs more CPU than serializing it (see docs/elasticsearch.md,
    /// "Performance"). Turn it on when the network, not the CPU, is the limit (a remote or metered cluster).
    /// </summary>
    public bool HttpCompression { get; init; }

    /// <summary>Timeout of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an index stays after the alias moved away from it, for rollback, before it is deleted.</summary>
    public TimeSpan RetainRetiredIndexFor { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Which credential kind is configured, without its value.</summary>
    public string AuthenticationKind =>
        ApiKey is not null ? "api-key" : Username is not null ? "basic" : "none";

    /// <summary>Which TLS trust setting is configured, without its value.</summary>
    public string TlsKind =>
        CertificateFingerprint is not null ? "certificate-fingerprint"
        : CertificateAuthorityPath is not null ? "certificate-authority-file"
        : "system-trust-store";

    /// <summary>Throws <see cref="ElasticsearchOptionsException"/> listing every invalid setting by name.</summary>
    public ElasticsearchOptions Validate()
    {
        var errors = ElasticsearchOptionsValidator.Validate(this);
        if (errors.Count > 0)
            throw new ElasticsearchOptionsException(errors);
        return this;
    }

    /// <summary>A one-line description for logs and <c>status</c> output; secrets are never included.</summary>
    public string Describe() =>
        $"urls={string.Join(',', Urls.Select(u => u.GetLeftPart(UriPartial.Path)))} auth={AuthenticationKind} tls={TlsKind} refresh={Refresh}";

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Urls = [").AppendJoin(", ", Urls.Select(u => u.GetLeftPart(UriPartial.Path))).Append(']');
        builder.Append(", ApiKey = ").Append(Redacted(ApiKey));
        builder.Append(", Username = ").Append(Username ?? "null");
        builder.Append(", Password = ").Append(Redacted(Password));
        builder.Append(", CertificateFingerprint = ").Append(CertificateFingerprint ?? "null");
        builder.Append(", CertificateAuthorityPath = ").Append(CertificateAuthorityPath ?? "null");
        builder.Append(", Refresh = ").Append(Refresh);
        builder.Append(", MaxBulkAttempts = ").Append(MaxBulkAttempts);
        builder.Append(", HttpCompression = ").Append(HttpCompression);
        return true;
    }

    private static string Redacted(string? secret) => secret is null ? "null" : "***";
}

/// <summary>Refresh policy of a bulk write (Elasticsearch's <c>refresh</c> parameter).</summary>
public enum RefreshPolicy
{
    /// <summary>Do not wait; documents become searchable at the next periodic refresh (default 1 s).</summary>
    False,

    /// <summary>The bulk call returns once the changes are searchable.</summary>
    WaitFor,

    /// <summary>Refresh the affected shards immediately (costly; tests and demos only).</summary>
    True,
}
