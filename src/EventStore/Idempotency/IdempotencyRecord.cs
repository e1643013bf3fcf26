namespace EventSourcing.EventStore.Idempotency;

/// <summary>What was stored for an idempotency key: the stream, payload hash and versions of the first append.</summary>
public sealed record IdempotencyRecord(string Key, Guid StreamId, string PayloadHash, long FirstVersion, long LastVersion, DateTimeOffset ExpiresAt);
