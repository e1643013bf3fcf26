using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Runtime.Agents;

namespace EventSourcing.Projections.Hosting;

/// <summary>
/// At host start, fails with a message naming the setting when the host's daemon does not match
/// <see cref="ProjectionsOptions.Distribution"/>: otherwise the read models would silently never be built
/// (no daemon) or be run by a coordinator the operator did not choose. Hosts without Marten (Kafka-sourced
/// projections only) run no subscriptions and are not checked.
/// </summary>
internal sealed class DistributionCheck(IServiceProvider services, ProjectionsOptions options)
{
    public void Verify()
    {
        var registered = services.GetRequiredService<IServiceProviderIsService>();
        if (!registered.IsService(typeof(IDocumentStore)))
            return;
        var wolverineManaged = registered.IsService(typeof(IEventSubscriptionAgentFamily));
        if (options.Distribution == ProjectionDistribution.Wolverine)
            VerifyWolverine(registered, wolverineManaged);
        else
            VerifyHotCold(wolverineManaged);
    }

    private void VerifyWolverine(IServiceProviderIsService registered, bool wolverineManaged)
    {
        if (!registered.IsService(typeof(IWolverineRuntime)))
            throw new InvalidOperationException(
                "ProjectionsOptions.Distribution is Wolverine but the host has no Wolverine runtime: call builder.UseWolverine(...) on the projections host");
        if (!wolverineManaged)
            throw new InvalidOperationException(
                "ProjectionsOptions.Distribution is Wolverine but Marten's subscriptions are not managed by Wolverine: register with " +
                "AddMarten(...).AddProjections(...), or call .IntegrateWithWolverine(m => m.UseWolverineManagedEventSubscriptionDistribution = true)");
        var runtime = services.GetRequiredService<IWolverineRuntime>();
        var mode = runtime.Options.Durability.Mode;
        if (mode is not (DurabilityMode.Balanced or DurabilityMode.Solo))
            throw new InvalidOperationException(
                $"ProjectionsOptions.Distribution is Wolverine but WolverineOptions.Durability.Mode is {mode}, which starts no agents: " +
                "use Balanced (several hosts) or Solo (one host)");
        services.GetRequiredService<Daemon.ProjectionHealth>().RunningHere = () => WolverineShards.RunningHere(runtime);
    }

    private void VerifyHotCold(bool wolverineManaged)
    {
        if (wolverineManaged)
            throw new InvalidOperationException(
                "ProjectionsOptions.Distribution is HotCold but Wolverine manages Marten's subscriptions (UseWolverineManagedEventSubscriptionDistribution): " +
                "set ProjectionsOptions.Distribution = Wolverine, or remove the Wolverine-managed distribution");
        var mode = services.GetRequiredService<IDocumentStore>() is DocumentStore store ? store.Options.Projections.AsyncMode : DaemonMode.HotCold;
        if (mode is not (DaemonMode.HotCold or DaemonMode.Solo))
            throw new InvalidOperationException(
                $"ProjectionsOptions.Distribution is HotCold but Marten's async daemon is {mode}, so no projection would run: " +
                "register with AddMarten(...).AddProjections(...), or call .AddAsyncDaemon(DaemonMode.HotCold) (DaemonMode.Solo for a single host)");
    }
}
