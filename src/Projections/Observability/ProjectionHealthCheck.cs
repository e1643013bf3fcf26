using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventSourcing.Projections.Observability;

/// <summary>
/// Unhealthy when a projection faulted; degraded while a projection's circuit is open (its sink is down)
/// or when it has not completed a batch for <see cref="ProjectionsOptions.StalledAfter"/> although it lags; also
/// degraded when the live version received dead letters at its hand-over from a rebuild, or when a rebuilt version
/// has waited longer than <see cref="ProjectionsOptions.StalledAfter"/> to be swapped in, and when the progress watch found a
/// read model anywhere in the cluster not advancing while events wait (with the node it is assigned to).
/// </summary>
public sealed class ProjectionHealthCheck : IHealthCheck
{
    private readonly ProjectionHealth _health;
    private readonly ProjectionsOptions _options;
    private readonly TimeProvider _clock;

    public ProjectionHealthCheck(ProjectionHealth health, ProjectionsOptions options, TimeProvider clock)
    {
        _health = health;
        _options = options;
        _clock = clock;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        var faulted = new List<string>();
        var degraded = new List<string>();
        foreach (var (name, entry) in _health.Snapshot())
        {
            if (entry.IsFaulted)
                faulted.Add($"{name} faulted: {entry.LastError}");
            else if (entry.CircuitOpenSince is { } since)
                degraded.Add($"{name} paused since {since:O}, sink unavailable: {entry.LastError}");
            else if (entry.Checkpoint < entry.HighWaterMark && entry.LastBatchAt is { } last && now - last > _options.StalledAfter)
                degraded.Add($"{name} stalled: no batch since {last:O}");
            if (entry.LastSwap is { DeadLetters: > 0 } swap)
                degraded.Add($"{name} version {swap.Version} received {swap.DeadLetters} dead letter(s) at its hand-over: check 'projections dead-letters list' and 'projections verify {name}'");
            if (entry.PendingSwap is { } pending && now - pending.RequestedAt > _options.StalledAfter)
                degraded.Add($"{name} version {pending.Version} was rebuilt at {pending.RequestedAt:O} and is still not swapped in");
        }

        foreach (var stalled in _health.Stalled().Values)
            degraded.Add($"{stalled.Name} stalled: {stalled.LagEvents} event(s) waiting and no progress for {stalled.SecondsWithoutProgress:0} s" +
                (stalled.Node is null ? "" : $" (assigned to node {stalled.Node})"));

        var result = faulted.Count > 0 ? HealthCheckResult.Unhealthy(string.Join("; ", faulted.Concat(degraded)))
            : degraded.Count > 0 ? HealthCheckResult.Degraded(string.Join("; ", degraded))
            : HealthCheckResult.Healthy("all projections running");
        return Task.FromResult(result);
    }
}
