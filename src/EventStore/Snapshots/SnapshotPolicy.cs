namespace EventSourcing.EventStore.Snapshots;

/// <summary>What a snapshot policy sees when deciding whether to write a snapshot.</summary>
/// <param name="Version">The aggregate's stream version now.</param>
/// <param name="SnapshotVersion">The version of the newest valid snapshot, 0 when none.</param>
/// <param name="State">The aggregate state at <paramref name="Version"/>.</param>
public sealed record SnapshotContext(string Aggregate, Guid StreamId, long Version, long SnapshotVersion, object? State)
{
    public long EventsSinceSnapshot => Version - SnapshotVersion;
}

/// <summary>When to take a snapshot of an aggregate: every N events, a predicate, or never.</summary>
public abstract record SnapshotPolicy
{
    private SnapshotPolicy()
    {
    }

    public static SnapshotPolicy Off { get; } = new OffPolicy();

    /// <summary>Snapshot when at least <paramref name="events"/> events were appended since the last snapshot.</summary>
    public static SnapshotPolicy Every(int events)
    {
        if (events < 1)
            throw new ArgumentOutOfRangeException(nameof(events), events, "snapshot interval must be at least 1 event");
        return new EveryPolicy(events);
    }

    /// <summary>Snapshot whenever <paramref name="predicate"/> says so.</summary>
    public static SnapshotPolicy When(Func<SnapshotContext, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new PredicatePolicy(predicate);
    }

    public abstract bool ShouldSnapshot(SnapshotContext context);

    public bool IsOff => this is OffPolicy;

    private sealed record OffPolicy : SnapshotPolicy
    {
        public override bool ShouldSnapshot(SnapshotContext context) => false;
    }

    private sealed record EveryPolicy(int Events) : SnapshotPolicy
    {
        public override bool ShouldSnapshot(SnapshotContext context) => context.EventsSinceSnapshot >= Events;
    }

    private sealed record PredicatePolicy(Func<SnapshotContext, bool> Predicate) : SnapshotPolicy
    {
        public override bool ShouldSnapshot(SnapshotContext context) => context.Version > context.SnapshotVersion && Predicate(context);
    }
}
