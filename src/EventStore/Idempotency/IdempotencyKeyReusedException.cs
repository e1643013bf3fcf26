namespace EventSourcing.EventStore.Idempotency;

/// <summary>An idempotency key was used again with a different payload (command or events) or stream.</summary>
public sealed class IdempotencyKeyReusedException : Exception
{
    public IdempotencyKeyReusedException(string key, Guid originalStreamId, Guid streamId)
        : base(originalStreamId == streamId
            ? $"idempotency key '{key}' was already used for stream {streamId} with a different payload"
            : $"idempotency key '{key}' was already used for stream {originalStreamId}, not {streamId}")
    {
        Key = key;
        OriginalStreamId = originalStreamId;
        StreamId = streamId;
    }

    public string Key { get; }

    public Guid OriginalStreamId { get; }

    public Guid StreamId { get; }
}
