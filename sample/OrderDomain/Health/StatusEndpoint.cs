using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wolverine.Http;

namespace OrderDomain.Health;

/// <summary>
/// <c>GET /operations/status</c> (role <c>operations</c>): the readiness checks with their descriptions and
/// data (projection lags, sink versions, the errors a failing dependency reported), which the anonymous
/// health endpoints leave out.
/// </summary>
public static class StatusEndpoint
{
    [WolverineGet("/operations/status", OperationId = "getStatus")]
    [Tags("operations")]
    [ProducesResponseType(typeof(ServiceStatus), StatusCodes.Status200OK)]
    public static async Task<ServiceStatus> GetStatus(HealthCheckService health, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(HealthEndpoints.IsReadiness, ct);
        return new ServiceStatus(report.Status.ToString(), report.Entries.ToDictionary(
            e => e.Key,
            e => new CheckStatus(e.Value.Status.ToString(), e.Value.Description, e.Value.Exception?.Message,
                e.Value.Data.Count == 0 ? null : e.Value.Data.ToDictionary(d => d.Key, d => d.Value.ToString(), StringComparer.Ordinal)),
            StringComparer.Ordinal));
    }
}

public sealed record ServiceStatus(string Status, IReadOnlyDictionary<string, CheckStatus> Checks);

public sealed record CheckStatus(string Status, string? Description, string? Error, IReadOnlyDictionary<string, string?>? Data);
