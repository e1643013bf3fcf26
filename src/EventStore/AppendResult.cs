namespace EventSourcing.EventStore;

/// <summary>
/// The versions an append gave its events (first..last, contiguous). <see cref="AlreadyApplied"/> is
/// true when the idempotency key had been seen and these are the versions of the first append.
/// </summary>
public sealed record AppendResult(Guid StreamId, long FirstVersion, long LastVersion, bool AlreadyApplied)
{
    public int Count => checked((int)(LastVersion - FirstVersion + 1));

    /// <summary>The version to expect for the next append.</summary>
    public long NextExpectedVersion => LastVersion;
}
