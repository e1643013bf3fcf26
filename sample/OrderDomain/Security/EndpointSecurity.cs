using Wolverine.Http;

namespace OrderDomain.Security;

/// <summary>
/// The policy, rate limit and body limit of every Wolverine endpoint, by one rule: a route under
/// <c>/operations</c> needs <see cref="OrderRoles.Operations"/>; any other GET needs <see cref="OrderRoles.Read"/>;
/// every other method is a command: <see cref="OrderRoles.Write"/>, the per-caller rate limit and the small body limit.
/// The fallback policy still requires an authenticated caller on a route this rule does not reach.
/// </summary>
public static class EndpointSecurity
{
    public const string OperationsPrefix = "/operations";

    public static void Apply(WolverineHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ConfigureEndpoints(chain =>
        {
            var policy = PolicyFor(chain.HttpMethods, chain.RoutePattern?.RawText ?? "");
            chain.RequireAuthorization(policy);
            if (policy == OrderRoles.Write)
            {
                chain.RequireRateLimiting(CommandRateLimit.Policy);
                chain.WithMetadata(new RequestBodyLimits.Limit(RequestBodyLimits.CommandBytes));
            }
            else
            {
                chain.WithMetadata(new RequestBodyLimits.Limit(RequestBodyLimits.OtherBytes));
            }
        });
    }

    public static string PolicyFor(IEnumerable<string> methods, string route)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(route);
        var path = "/" + route.TrimStart('/');
        if (path.Equals(OperationsPrefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(OperationsPrefix + "/", StringComparison.OrdinalIgnoreCase))
            return OrderRoles.Operations;
        return methods.All(m => HttpMethods.IsGet(m) || HttpMethods.IsHead(m)) ? OrderRoles.Read : OrderRoles.Write;
    }
}
