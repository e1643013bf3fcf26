namespace EventSourcing.EventStore.Deciders;

/// <summary>
/// What handling a command did: the events it appended (none when the decider decided nothing), the
/// versions they got, and the state after them. <see cref="AlreadyApplied"/> is true when the idempotency
/// key had been seen: nothing was appended this time and the versions are those of the first run.
/// </summary>
public sealed record CommandResult<TState>(
    Guid StreamId,
    TState State,
    long Version,
    IReadOnlyList<object> NewEvents,
    long FirstAppendedVersion,
    long LastAppendedVersion,
    bool AlreadyApplied)
{
    public bool AppendedNothing => NewEvents.Count == 0;
}
