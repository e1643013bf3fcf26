using System.Collections.Concurrent;

namespace EventSourcing.EventStore.Snapshots;

/// <summary>A snapshot policy and the snapshot schema version of one aggregate (by decider name).</summary>
public sealed record SnapshotRegistration(string Aggregate, SnapshotPolicy Policy, int SchemaVersion);

/// <summary>Snapshot settings per aggregate; aggregates without a registration are never snapshotted.</summary>
public sealed class SnapshotOptions
{
    private readonly ConcurrentDictionary<string, SnapshotRegistration> _byAggregate = new(StringComparer.Ordinal);

    /// <summary>
    /// Snapshots the aggregate named <paramref name="aggregate"/> (the decider's Name) by <paramref name="policy"/>.
    /// Bump <paramref name="schemaVersion"/> whenever the state's shape or Evolve changes: older snapshots are
    /// then ignored and rewritten.
    /// </summary>
    public SnapshotOptions For(string aggregate, SnapshotPolicy policy, int schemaVersion = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(aggregate);
        ArgumentNullException.ThrowIfNull(policy);
        if (schemaVersion < 1)
            throw new ArgumentOutOfRangeException(nameof(schemaVersion), schemaVersion, $"snapshot schema version of '{aggregate}' must be 1 or more");
        _byAggregate[aggregate] = new SnapshotRegistration(aggregate, policy, schemaVersion);
        return this;
    }

    /// <summary>Retry delays for a failed snapshot write, after which it is dropped and retaken on a later load.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; set; } = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

    /// <summary>
    /// How many snapshot rows this process keeps in memory after reading or writing them (0 = off), so a
    /// load of a snapshotted aggregate costs one round trip (the events after the snapshot). Rows are
    /// immutable per version, so a cached row is never wrong, at worst older than the table's.
    /// </summary>
    public int CacheSize { get; set; } = 10_000;

    /// <summary>Most snapshot writes waiting at once; beyond it new requests are dropped (never blocking an append).</summary>
    public int MaxPending { get; set; } = 10_000;

    public IReadOnlyCollection<SnapshotRegistration> Registrations => _byAggregate.Values.ToArray();

    public SnapshotRegistration? Find(string aggregate) => _byAggregate.GetValueOrDefault(aggregate);
}
