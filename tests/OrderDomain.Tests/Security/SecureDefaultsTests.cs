using EventSourcing.OrderDomain.Tests.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using OrderDomain.Hosting;
using OrderDomain.Security;

namespace EventSourcing.OrderDomain.Tests.Security;

public sealed class SecureDefaultsTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private Action<WebApplicationBuilder> Settings(params (string Key, string Value)[] extra) => builder =>
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orders:ConnectionString"] = api.Postgres.ConnectionString,
            ["Orders:EventSchema"] = api.EventSchema,
            ["Orders:ReadModelSchema"] = api.ReadModelSchema,
            ["Orders:Auth:DevelopmentKeyFile"] = api.KeyFile,
        }.Concat(extra.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value))));

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://+:5080")]
    [InlineData("http://[::]:5080")]
    [InlineData("http://127.0.0.1:5080;http://10.1.2.3:5080")]
    [InlineData("http://orders.example.com:5080")]
    public void without_configured_auth_a_non_loopback_address_is_refused(string urls)
    {
        var error = Assert.Throws<InvalidSettingException>(() => OrderService.Build(["--urls", urls], Settings()));
        Assert.Contains("loopback addresses only", error.Message, StringComparison.Ordinal);
        Assert.Contains("Orders:Auth:Insecure=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_insecure_flag_or_configured_auth_lets_it_listen_anywhere()
    {
        await using (OrderService.Build(["--urls", "http://0.0.0.0:5080", "--Orders:Auth:Insecure=true"], Settings()))
        {
        }

        await using (OrderService.Build(["--urls", "http://0.0.0.0:5080"], Settings(("Orders:Auth:SigningKey", Convert.ToBase64String(new byte[32])),
                         ("Orders:Auth:Issuer", "https://issuer.example"), ("Orders:Auth:Audience", "orders"))))
        {
        }
    }

    [Theory]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://127.0.0.5:1", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("https://*:443", false)]
    [InlineData("http://192.168.1.4:5080", false)]
    public void loopback_addresses_are_recognised(string address, bool loopback) =>
        Assert.Equal(loopback, LoopbackGuard.IsLoopback(address));

    [Fact]
    public void ports_without_urls_and_kestrel_endpoints_count_as_addresses()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["http_ports"] = "8080",
            ["Kestrel:Endpoints:Public:Url"] = "http://10.0.0.7:9000",
            ["Kestrel:Endpoints:Local:Url"] = "http://127.0.0.1:9001",
        }).Build();
        Assert.Equal(["http://*:8080", "http://10.0.0.7:9000"], LoopbackGuard.NonLoopbackAddresses(configuration));
    }

    [Theory]
    [InlineData("Orders:Auth:SigningKey must be base64 of at least 32 bytes", "SigningKey=c2hvcnQ=", "Issuer=i", "Audience=a")]
    [InlineData("Orders:Auth:Issuer is required", "SigningKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "Audience=a")]
    [InlineData("Orders:Auth:Audience is required", "Authority=https://login.example")]
    [InlineData("Orders:Auth:Authority 'http://login.example/' must be an absolute https URL", "Authority=http://login.example", "Audience=a")]
    [InlineData("both set", "Authority=https://login.example", "SigningKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "Audience=a")]
    [InlineData("Orders:Auth:Insecure must be true or false", "Insecure=maybe")]
    [InlineData("Orders:Auth:Audience is set but neither Orders:Auth:Authority nor Orders:Auth:SigningKey is", "Audience=orders")]
    public void auth_settings_are_validated_at_startup_with_their_names(string expected, params string[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => s.Split('=', 2)).Select(p => KeyValuePair.Create("Orders:Auth:" + p[0], (string?)p[1])))
            .Build();
        var error = Assert.Throws<InvalidSettingException>(() => OrderAuthOptions.From(configuration));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_openapi_document_declares_the_bearer_scheme_and_each_operations_role()
    {
        using var response = await api.Client.GetAsync("/openapi/v1.json");
        var document = await response.JsonAsync();

        var scheme = document["components"]!["securitySchemes"]!["Bearer"]!;
        Assert.Equal("http", scheme["type"]!.GetValue<string>());
        Assert.Equal("bearer", scheme["scheme"]!.GetValue<string>());
        Assert.Equal("JWT", scheme["bearerFormat"]!.GetValue<string>());
        var place = document["paths"]!["/orders"]!["post"]!;
        Assert.Equal(OrderRoles.Write, place["security"]![0]!["Bearer"]![0]!.GetValue<string>());
        Assert.NotNull(place["responses"]!["401"]);
        Assert.NotNull(place["responses"]!["429"]);
        Assert.Equal(OrderRoles.Read, document["paths"]!["/orders/{id}/events"]!["get"]!["security"]![0]!["Bearer"]![0]!.GetValue<string>());
    }

    [Fact]
    public void the_development_key_is_created_once_and_shared()
    {
        var path = Path.Combine(Path.GetTempPath(), $"orderdomain-key-{Guid.NewGuid():N}", ".local", DevelopmentSigningKey.FileName);
        try
        {
            var keys = Enumerable.Range(0, 8).AsParallel().Select(_ => DevelopmentSigningKey.LoadOrCreate(path)).ToList();
            Assert.All(keys, k => Assert.Equal(keys[0], k));
            Assert.Equal(32, keys[0].Length);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(path))!, recursive: true);
        }
    }
}
