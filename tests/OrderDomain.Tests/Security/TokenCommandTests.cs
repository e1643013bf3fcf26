using System.Net;
using EventSourcing.OrderDomain.Tests.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using OrderDomain.Hosting;
using OrderDomain.Security;

namespace EventSourcing.OrderDomain.Tests.Security;

public sealed class TokenCommandTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private IConfiguration Settings() => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Orders:Auth:DevelopmentKeyFile"] = api.KeyFile })
        .Build();

    private async Task<string> RunAsync(params string[] args)
    {
        await using var output = new StringWriter();
        Assert.Equal(0, await TokenCommand.RunAsync(args, output, Settings()));
        return output.ToString().Trim();
    }

    [Fact]
    public async Task the_printed_token_validates_and_holds_the_roles_and_lifetime_asked_for()
    {
        var token = await RunAsync("--roles", "orders:read,operations", "--lifetime", "8h", "--subject", "carol");

        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(token,
            OrderAuthentication.ValidationParameters(OrderAuthOptions.From(Settings()), api.Issuer));
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var jwt = (JsonWebToken)validation.SecurityToken;
        Assert.Equal("carol", jwt.Subject);
        Assert.Equal(["orders:read", "operations"], jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value));
        Assert.InRange(jwt.ValidTo - DateTime.UtcNow, TimeSpan.FromHours(8) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(8));

        using var client = api.CreateClient(token);
        using var status = await client.GetAsync("/operations/status");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        using var command = await client.SendAsync(HttpMethod.Post, "/orders", Api.NewOrder());
        Assert.Equal(HttpStatusCode.Forbidden, command.StatusCode);
    }

    [Theory]
    [InlineData("unknown role 'admin'", "--roles", "orders:read,admin")]
    [InlineData("--roles is required", "--lifetime", "1h")]
    [InlineData("--lifetime must be a number and a unit", "--roles", "orders:read", "--lifetime", "forever")]
    [InlineData("at most 30d", "--roles", "orders:read", "--lifetime", "31d")]
    [InlineData("unknown argument '--admin'", "--admin", "yes")]
    public void bad_arguments_are_named(string expected, params string[] args)
    {
        var error = Assert.Throws<UsageException>(() => TokenCommand.Parse(args));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_program_exits_with_2_on_a_bad_token_request() =>
        Assert.Equal(2, await OrderProgram.RunAsync(["token", "--roles", "root"], CancellationToken.None));
}
