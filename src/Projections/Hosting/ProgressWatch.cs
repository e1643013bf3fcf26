using System.Globalization;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Observability;
using EventSourcing.Projections.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventSourcing.Projections.Hosting;

/// <summary>
/// Every <see cref="ProjectionsOptions.ProgressCheckInterval"/>, reads the whole cluster's progress from the database (what
/// <c>projections status</c> shows) and records the read models that are stalled: events wait and the checkpoint has not
/// moved for <see cref="ProjectionsOptions.StalledAfter"/>, whichever node holds them, or none. The health check
/// <c>projections</c> reports them with their node, the gauge <c>projections.stalled</c> carries the seconds and the counter
/// <c>projections.stalls</c> counts each new stall. Under Wolverine distribution it also releases this node's dead agents
/// (<see cref="DeadAgentRelease"/>); under HotCold and Solo it hands agents a failure stopped back to Marten's coordinator
/// (<see cref="FailedAgentRestart"/>). Runs on every projection host; it places nothing itself.
/// </summary>
internal sealed class ProgressWatch(IServiceProvider services, ProjectionsOptions options, ProjectionHealth health, ILogger<ProgressWatch> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(Marten.IDocumentStore)))
            return; // Kafka-sourced projections only: no checkpoints in Marten's tables to watch
        var release = DeadAgentRelease.For(services, options);
        var restart = FailedAgentRestart.For(services, options);
        using var timer = new PeriodicTimer(options.ProgressCheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    if (restart is not null)
                        await restart.CheckAsync().ConfigureAwait(false);
                    await CheckAsync(release, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // the database may be away for a moment: the next tick tries again
                    logger.LogWarning(e, "The projections' progress check failed; trying again in {Interval}", options.ProgressCheckInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckAsync(DeadAgentRelease? release, CancellationToken cancellationToken)
    {
        var rows = await services.GetRequiredService<StatusService>().GetAsync(null, cancellationToken).ConfigureAwait(false);
        var stalled = rows.Where(r => r.StalledSeconds is not null)
            .Select(r => new ProjectionHealth.StalledReadModel(r.Name, NodeName(r.Node), r.StalledSeconds!.Value, r.LagEvents))
            .ToList();
        foreach (var fresh in health.ObserveStalled(stalled))
        {
            ProjectionTelemetry.Stalls.Add(1, new System.Diagnostics.TagList { { "projection", fresh.Name }, { "node", fresh.Node ?? "" } });
            logger.LogError("Read model {Projection} is stalled: {Lag} event(s) wait and its checkpoint has not moved for {Seconds:0} s (node {Node})",
                fresh.Name, fresh.LagEvents, fresh.SecondsWithoutProgress, fresh.Node ?? "-");
        }

        ProjectionTelemetry.SetStalled(stalled.ToDictionary(s => s.Name, s => s.SecondsWithoutProgress, StringComparer.Ordinal));
        if (release is not null)
            await release.CheckAsync(stalled.Select(s => s.Name).ToHashSet(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
    }

    private static string? NodeName(ProjectionNode? node) =>
        node is null ? null : node.Number is { } number ? $"{number.ToString(CultureInfo.InvariantCulture)} ({node.Description})" : "none";
}
