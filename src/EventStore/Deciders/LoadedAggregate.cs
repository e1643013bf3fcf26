namespace EventSourcing.EventStore.Deciders;

/// <summary>
/// An aggregate's state and the stream version it reflects (0 when the stream does not exist).
/// <see cref="EventsRead"/> is how many events were read from the log to build it (after a snapshot).
/// </summary>
public sealed record LoadedAggregate<TState>(Guid StreamId, TState State, long Version, int EventsRead, long? SnapshotVersion)
{
    public bool Exists => Version > 0;
}
