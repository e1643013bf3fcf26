using EventSourcing.Projections.Status;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wolverine.Http;

namespace OrderDomain.Health;

/// <summary>
/// <c>GET /operations/status</c> (role <c>operations</c>): the readiness checks with their descriptions and
/// data (projection lags, sink versions, the errors a failing dependency reported), which the anonymous
/// health endpoints leave out; on a node that runs projections also what <c>projections status</c> shows for
/// each read model (state such as <c>swap-pending</c> or <c>handover-dead-letters</c>, versions, checkpoint, lag,
/// dead letters, the last hand-over from a rebuild).
/// </summary>
public static class StatusEndpoint
{
    [WolverineGet("/operations/status", OperationId = "getStatus")]
    [Tags("operations")]
    [ProducesResponseType(typeof(ServiceStatus), StatusCodes.Status200OK)]
    public static async Task<ServiceStatus> GetStatus(HealthCheckService health, ProjectionStatusSource projectionStatus, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(HealthEndpoints.IsReadiness, ct);
        var projections = projectionStatus.Service is { } status ? await status.GetAsync(null, ct) : null;
        return new ServiceStatus(report.Status.ToString(), report.Entries.ToDictionary(
            e => e.Key,
            e => new CheckStatus(e.Value.Status.ToString(), e.Value.Description, e.Value.Exception?.Message,
                e.Value.Data.Count == 0 ? null : e.Value.Data.ToDictionary(d => d.Key, d => d.Value.ToString(), StringComparer.Ordinal)),
            StringComparer.Ordinal), projections);
    }
}

/// <param name="Projections">Each read model as <c>projections status</c> shows it; null on a node without projections.</param>
public sealed record ServiceStatus(string Status, IReadOnlyDictionary<string, CheckStatus> Checks, IReadOnlyList<ProjectionStatus>? Projections);

public sealed record CheckStatus(string Status, string? Description, string? Error, IReadOnlyDictionary<string, string?>? Data);

/// <summary>The projections' status service where this node runs projections (null on an API-only node).</summary>
public sealed class ProjectionStatusSource(IServiceProvider services)
{
    public StatusService? Service { get; } = services.GetService<StatusService>();
}
