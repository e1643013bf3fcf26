using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using OrderDomain.Orders.Http;

namespace OrderDomain.Security;

/// <summary>
/// ASP.NET Core's rate limiter on the command routes: one token bucket per caller (the token's subject,
/// else the remote address). A refused request gets 429 with Retry-After and problem details; nothing is queued.
/// </summary>
public static class CommandRateLimit
{
    public const string Policy = "commands";

    public static IServiceCollection AddCommandRateLimit(this IServiceCollection services, RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            limiter.AddPolicy(Policy, http => options.Enabled
                ? RateLimitPartition.GetTokenBucketLimiter(PartitionKey(http), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.Burst,
                    TokensPerPeriod = options.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter("off"));
        });
        return services;
    }

    /// <summary>The caller: <c>sub:</c> and the token's subject, or <c>ip:</c> and the remote address.</summary>
    public static string PartitionKey(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.User.FindFirst(OrderRoles.SubjectClaim)?.Value is { Length: > 0 } subject
            ? "sub:" + subject
            : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await OrderProblems.Problem(StatusCodes.Status429TooManyRequests, "too many requests", "rate_limited",
                $"this caller sent more commands than its rate limit allows; retry after {seconds.ToString(CultureInfo.InvariantCulture)} s")
            .ExecuteAsync(context.HttpContext);
    }
}
