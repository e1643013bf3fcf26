namespace EventSourcing.EventStore.Concurrency;

/// <summary>
/// An append found the stream at another version than expected. Nothing was written.
/// <see cref="ActualVersion"/> is the stream's version as read right after the conflict.
/// </summary>
public sealed class ConcurrencyException : Exception
{
    public ConcurrencyException(Guid streamId, ExpectedVersion expected, long actualVersion, Exception? innerException = null)
        : base($"stream {streamId}: expected version {expected} but the stream is at version {actualVersion}; nothing was appended", innerException)
    {
        StreamId = streamId;
        Expected = expected;
        ActualVersion = actualVersion;
    }

    public Guid StreamId { get; }

    public ExpectedVersion Expected { get; }

    /// <summary>0 when the stream does not exist.</summary>
    public long ActualVersion { get; }
}
