using JasperFx;
using JasperFx.Events.Daemon;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventSourcing.Projections.Hosting;

/// <summary>
/// HotCold and Solo: an agent that a failure stopped (e.g. <c>ProgressionProgressOutOfOrderException</c>: another process moved
/// its checkpoint, as several Solo replicas or a resumed host see) stays in Marten's daemon as <c>Stopped</c>, and the coordinator
/// restarts only agents that are absent or paused, so nothing would ever run it again on this host; while it stays, the daemon's
/// high-water agent keeps running too. This removes such agents from the daemon (<c>StopAgentAsync</c>), so the coordinator starts
/// them again from their checkpoint on its next poll if this host holds their lock (always, in Solo), and the high-water agent
/// stops with the last agent. Wolverine distribution has its own remedy (<see cref="DeadAgentRelease"/>).
/// </summary>
internal sealed class FailedAgentRestart(IProjectionCoordinator coordinator, ILogger logger)
{
    public static FailedAgentRestart? For(IServiceProvider services, ProjectionsOptions options) =>
        options.Distribution == ProjectionDistribution.HotCold && services.GetService<IProjectionCoordinator>() is { } coordinator
            ? new FailedAgentRestart(coordinator, services.GetRequiredService<ILoggerFactory>().CreateLogger<FailedAgentRestart>())
            : null;

    public async Task CheckAsync()
    {
        var daemon = coordinator.DaemonForMainDatabase();
        foreach (var agent in daemon.CurrentAgents().Where(a => a.Status == AgentStatus.Stopped))
        {
            var shard = agent.Name.Identity;
            logger.LogWarning("Agent {Shard} was stopped by a failure: handing it back to the projection coordinator, which starts it again " +
                              "from its checkpoint if this host holds its lock", shard);
            await daemon.StopAgentAsync(shard).ConfigureAwait(false);
            Observability.ProjectionTelemetry.AgentsRestarted.Add(1, Observability.ProjectionTelemetry.Tags(agent.Name.Name));
        }
    }
}
