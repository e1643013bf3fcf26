using System.Collections.Concurrent;
using Wolverine.Runtime.Agents;

namespace EventSourcing.Projections.Tests.Distribution;

/// <summary>
/// Shared by the hosts of one test: every start and stop of a read-model agent, per host, in one global order
/// (a host's shutdown stops all of its agents before it reports the node stopped).
/// </summary>
public sealed class AgentLog
{
    private readonly ConcurrentQueue<Entry> _entries = new();
    private long _sequence;

    public IReadOnlyList<Entry> Entries => _entries.OrderBy(e => e.Sequence).ToList();

    internal void Started(string host, Uri agent)
    {
        if (ShardOf(agent) is { } shard)
            Add(host, shard, running: true);
    }

    internal void Stopped(string host, Uri agent)
    {
        if (ShardOf(agent) is { } shard)
            Add(host, shard, running: false);
    }

    internal void NodeStopped(string host)
    {
        foreach (var shard in Running(host))
            Add(host, shard, running: false);
    }

    /// <summary>The read models a host runs now.</summary>
    public IReadOnlySet<string> Running(string host)
    {
        var running = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var e in Entries.Where(e => e.Host == host))
        {
            if (e.Running)
                running.Add(e.Shard);
            else
                running.Remove(e.Shard);
        }

        return running;
    }

    /// <summary>Every moment at which a host started a read model that another host was still running.</summary>
    public IReadOnlyList<string> Overlaps()
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var overlaps = new List<string>();
        foreach (var e in Entries)
        {
            if (e.Running)
            {
                if (owners.TryGetValue(e.Shard, out var owner) && owner != e.Host)
                    overlaps.Add($"#{e.Sequence}: {e.Host} started {e.Shard} while {owner} ran it");
                owners[e.Shard] = e.Host;
            }
            else if (owners.TryGetValue(e.Shard, out var owner) && owner == e.Host)
            {
                owners.Remove(e.Shard);
            }
        }

        return overlaps;
    }

    public override string ToString() => string.Join("; ", Entries.Select(e => $"#{e.Sequence} {e.Host} {(e.Running ? "start" : "stop")} {e.Shard}"));

    private void Add(string host, string shard, bool running) =>
        _entries.Enqueue(new Entry(Interlocked.Increment(ref _sequence), host, shard, running));

    /// <summary><c>event-subscriptions://marten/main/host.database/orders_a/all</c> -> <c>orders_a</c>.</summary>
    private static string? ShardOf(Uri agent) =>
        agent.Scheme == EventSubscriptionAgentFamily.SchemeName && agent.Segments.Length >= 2 ? agent.Segments[^2].TrimEnd('/') : null;

    public sealed record Entry(long Sequence, string Host, string Shard, bool Running);
}
