using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Runtime.Agents;

namespace EventSourcing.Projections.Hosting;

/// <summary>Under Wolverine distribution, a read model's shard is the agent <c>event-subscriptions://marten/main/{server}.{database}/{name}/all</c>.</summary>
internal static class WolverineShards
{
    /// <summary>The read models whose agents run on this node now (none before the node started or after it stopped).</summary>
    public static IReadOnlySet<string> RunningHere(IWolverineRuntime runtime) =>
        runtime.Agents.AllRunningAgentUris()
            .Where(uri => uri.Scheme == EventSubscriptionAgentFamily.SchemeName && uri.Segments.Length >= 2)
            .Select(uri => uri.Segments[^2].TrimEnd('/'))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The schema of Wolverine's node and assignment tables: its own setting, else the event store's.</summary>
    public static string TablesSchema(IServiceProvider services) =>
        services.GetService<WolverineOptions>()?.Durability.MessageStorageSchemaName ?? services.GetRequiredService<IDocumentStore>().Options.DatabaseSchemaName;
}
