using JasperFx.Events.Daemon;
using Marten;
using Wolverine.Marten;

namespace EventSourcing.Projections.Hosting;

public static class ProjectionsMartenExtensions
{
    /// <summary>
    /// Registers the projections (as <see cref="ProjectionsServiceCollectionExtensions.AddProjections"/> does) and
    /// the daemon that <see cref="ProjectionsOptions.Distribution"/> asks for:
    /// <list type="bullet">
    /// <item><see cref="ProjectionDistribution.HotCold"/>: Marten's async daemon with leader election
    /// (<c>AddAsyncDaemon(DaemonMode.HotCold)</c>); one host runs every shard, the others stand by.</item>
    /// <item><see cref="ProjectionDistribution.Wolverine"/>: <c>IntegrateWithWolverine</c> with
    /// <c>UseWolverineManagedEventSubscriptionDistribution</c>; each read model is a Wolverine agent placed on
    /// exactly one node and spread over the nodes. The host must also call <c>UseWolverine(...)</c>; Wolverine
    /// keeps its node and assignment tables in the event store's database and schema.</item>
    /// </list>
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddProjections(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten, Action<ProjectionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(marten);
        var options = ProjectionsServiceCollectionExtensions.Register(marten.Services, configure);
        return options.Distribution switch
        {
            ProjectionDistribution.HotCold => marten.AddAsyncDaemon(DaemonMode.HotCold),
            ProjectionDistribution.Wolverine => marten.IntegrateWithWolverine(w => w.UseWolverineManagedEventSubscriptionDistribution = true),
            _ => throw new InvalidOperationException($"unknown ProjectionsOptions.Distribution {options.Distribution}"),
        };
    }
}
