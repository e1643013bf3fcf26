using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderDomain.Health;

/// <summary>
/// <c>/health/live</c> answers as long as the process serves requests (no dependency is checked);
/// <c>/health/ready</c> runs every check tagged <see cref="ReadyTag"/>: PostgreSQL, the read-model sink and projection lag.
/// Both are the only anonymous routes, so they say only each check's status: no description, no data, no
/// exception text (which would name the database's host and port). Operators read the details at
/// <c>GET /operations/status</c>.
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    /// <summary>The projection host's own check (faulted, paused or stalled projections), also part of readiness.</summary>
    public const string ProjectionsCheck = "projections";

    /// <summary>The checks readiness runs.</summary>
    public static bool IsReadiness(HealthCheckRegistration check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return check.Tags.Contains(ReadyTag) || check.Name == ProjectionsCheck;
    }

    public static IEndpointRouteBuilder MapOrderHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = IsReadiness, ResponseWriter = WriteAsync }).AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString() }, StringComparer.Ordinal),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions), context.RequestAborted);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
