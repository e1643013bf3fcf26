using System.Net;
using EventSourcing.OrderDomain.Tests.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.Tokens;
using OrderDomain.Security;

namespace EventSourcing.OrderDomain.Tests.Security;

/// <summary>With <c>Orders:Auth:SigningKey</c> configured, that key, issuer and audience are what count; the development key is not.</summary>
public sealed class ConfiguredKeyTests(ConfiguredKeyTests.Fixture api) : IClassFixture<ConfiguredKeyTests.Fixture>
{
    public sealed class Fixture : OrderApiFixture
    {
        public static readonly byte[] Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(48);

        protected override void Configure(IWebHostBuilder builder) => builder
            .UseSetting("Orders:Auth:SigningKey", Convert.ToBase64String(Key))
            .UseSetting("Orders:Auth:Issuer", "https://login.shop.example")
            .UseSetting("Orders:Auth:Audience", "order-service")
            .UseSetting("urls", "http://0.0.0.0:5080"); // configured authentication may listen anywhere
    }

    [Fact]
    public async Task tokens_signed_with_the_configured_key_are_accepted_and_development_tokens_are_not()
    {
        Assert.Equal("https://login.shop.example", api.Issuer.Issuer);
        using var configured = await api.Client.GetAsync("/search/orders?pageSize=1");
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);

        var development = new TokenIssuer(new SymmetricSecurityKey(DevelopmentSigningKey.LoadOrCreate(api.KeyFile)),
            OrderAuthOptions.DevelopmentIssuer, OrderAuthOptions.DevelopmentAudience, TimeProvider.System);
        using var client = api.CreateClient(development.Issue("dev", [.. OrderRoles.All], TimeSpan.FromHours(1)));
        using var refused = await client.GetAsync("/search/orders?pageSize=1");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
