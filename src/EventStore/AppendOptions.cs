namespace EventSourcing.EventStore;

/// <summary>
/// Optional metadata and idempotency for one append (or one handled command). Correlation and
/// causation ids and headers are stored on every event of the append.
/// </summary>
public sealed record AppendOptions
{
    public static AppendOptions None { get; } = new();

    /// <summary>
    /// When set, the append is recorded under this key in the same transaction; the same key again
    /// returns the first result and appends nothing, and the same key with a different payload fails
    /// with <see cref="Idempotency.IdempotencyKeyReusedException"/>.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    public string? CorrelationId { get; init; }

    public string? CausationId { get; init; }

    public IReadOnlyDictionary<string, object>? Headers { get; init; }
}
