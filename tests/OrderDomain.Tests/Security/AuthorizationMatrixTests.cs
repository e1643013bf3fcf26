using System.Net;
using System.Text;
using EventSourcing.OrderDomain.Tests.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrderDomain.Security;

namespace EventSourcing.OrderDomain.Tests.Security;

/// <summary>
/// Every route the service maps (read from its <see cref="EndpointDataSource"/>, so a new route is in the
/// matrix without anyone adding it) against every kind of caller: no token, broken tokens, and each role.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.Fixture api) : IClassFixture<AuthorizationMatrixTests.Fixture>
{
    /// <summary>The only routes anyone may call without a token.</summary>
    private static readonly string[] Anonymous = ["/health/live", "/health/ready"];

    /// <summary>Who may call what: the threat model of docs/security.md, route by route.</summary>
    private static readonly Dictionary<string, string> ExpectedPolicies = new(StringComparer.Ordinal)
    {
        ["POST /orders"] = OrderRoles.Write,
        ["POST /orders/{id}/items"] = OrderRoles.Write,
        ["DELETE /orders/{id}/items/{sku}"] = OrderRoles.Write,
        ["POST /orders/{id}/payment"] = OrderRoles.Write,
        ["POST /orders/{id}/shipment"] = OrderRoles.Write,
        ["POST /orders/{id}/cancellation"] = OrderRoles.Write,
        ["GET /orders/{id}"] = OrderRoles.Read,
        ["GET /orders/{id}/events"] = OrderRoles.Read,
        ["GET /search/orders"] = OrderRoles.Read,
        ["GET /customers/{id}"] = OrderRoles.Read,
        ["GET /openapi/{documentName}.json"] = OrderRoles.Read,
        ["GET /operations/status"] = OrderRoles.Operations,
    };

    public sealed class Fixture : OrderApiFixture
    {
        public Guid OrderId { get; private set; }

        protected override async Task SeedAsync() => OrderId = await Client.PlaceAsync(Api.NewOrder());
    }

    private sealed record Route(string Method, string Pattern, string? Policy, bool AllowsAnonymous)
    {
        public string Name => $"{Method} {Pattern}";
    }

    private IReadOnlyList<Route> Routes() =>
    [
        .. api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => new Route(
                method,
                "/" + e.RoutePattern.RawText!.TrimStart('/'),
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null),
                e.Metadata.GetMetadata<IAllowAnonymous>() is not null)))
            .Distinct(),
    ];

    [Fact]
    public void every_route_has_a_role_policy_or_is_a_health_endpoint()
    {
        var routes = Routes();
        Assert.NotEmpty(routes);
        var problems = new List<string>();
        foreach (var route in routes)
        {
            if (route.AllowsAnonymous)
            {
                if (!Anonymous.Contains(route.Pattern))
                    problems.Add($"{route.Name} allows anonymous callers; only {string.Join(", ", Anonymous)} may");
                continue;
            }

            if (route.Policy is null || !OrderRoles.All.Contains(route.Policy))
                problems.Add($"{route.Name} requires no role (policy '{route.Policy}'); give it one of {string.Join(", ", OrderRoles.All)}");
            else if (!ExpectedPolicies.TryGetValue(route.Name, out var expected))
                problems.Add($"{route.Name} is a new route: add it to {nameof(ExpectedPolicies)} (and to docs/security.md) with the role it needs ({route.Policy} now)");
            else if (expected != route.Policy)
                problems.Add($"{route.Name} requires {route.Policy}, the threat model says {expected}");
        }

        foreach (var missing in ExpectedPolicies.Keys.Except(routes.Select(r => r.Name)))
            problems.Add($"{missing} is in the threat model but not mapped");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task every_route_answers_each_kind_of_caller_as_its_policy_says()
    {
        var issuer = api.Issuer;
        var callers = new List<(string Name, string? Token, string[] Roles)>
        {
            ("no token", null, []),
            ("expired", Tokens.Expired(issuer), []),
            ("wrong audience", Tokens.WrongAudience(issuer), []),
            ("wrong issuer", Tokens.WrongIssuer(issuer), []),
            ("wrong signature", Tokens.WrongSignature(issuer), []),
            ("unsigned (alg none)", Tokens.Unsigned(issuer), []),
            ("not a JWT", Tokens.NotAJwt, []),
            ("no roles", api.Token("nobody", []), []),
        };
        callers.AddRange(OrderRoles.All.Select(role => (role, (string?)api.Token("holder-of-" + role, [role]), new[] { role })));

        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var route in Routes())
        {
            foreach (var (name, token, roles) in callers)
            {
                using var client = api.CreateClient(token);
                using var response = await client.SendAsync(Request(route));
                var status = (int)response.StatusCode;
                var valid = roles.Length > 0 || name == "no roles";
                var (expected, ok) = route.AllowsAnonymous
                    ? ("2xx", status is >= 200 and < 300)
                    : !valid
                        ? ("401", status == 401)
                        : roles.Contains(route.Policy)
                            ? ("2xx or a 4xx that is not 401/403", status is >= 200 and < 500 and not 401 and not 403)
                            : ("403", status == 403);
                checkedCount++;
                if (!ok)
                    failures.Add($"{route.Name} as '{name}': expected {expected}, got {status}");
            }
        }

        Assert.True(checkedCount >= ExpectedPolicies.Count * callers.Count, $"only {checkedCount} requests were checked");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task a_refused_token_gets_a_bearer_challenge_and_a_missing_role_a_403()
    {
        using var anonymous = api.CreateClient(Tokens.NotAJwt);
        using var refused = await anonymous.PostAsync("/orders", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains(refused.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");

        using var reader = api.CreateClient(api.Token("reader", [OrderRoles.Read]));
        using var forbidden = await reader.SendAsync(HttpMethod.Post, "/orders", Api.NewOrder());
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var read = await reader.GetAsync($"/orders/{api.OrderId}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    private HttpRequestMessage Request(Route route)
    {
        var path = route.Pattern
            .Replace("{id}", route.Pattern.StartsWith("/customers", StringComparison.Ordinal) ? "cust-1" : api.OrderId.ToString(), StringComparison.Ordinal)
            .Replace("{sku}", "TEA-001", StringComparison.Ordinal)
            .Replace("{documentName}", "v1", StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
        if (route.Method is "POST" or "PUT" or "PATCH")
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json"); // an invalid command: authorised callers get a 400, nothing is appended
        return request;
    }
}
