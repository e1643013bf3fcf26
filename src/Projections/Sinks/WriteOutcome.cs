namespace EventSourcing.Projections.Sinks;

public enum WriteStatus
{
    /// <summary>Written.</summary>
    Applied,

    /// <summary>The sink already held a newer version (a replay or duplicate): nothing to do.</summary>
    AlreadyApplied,

    /// <summary>A transient refusal (429, 5xx, lock timeout): retry this item with backoff.</summary>
    Retryable,

    /// <summary>Permanently refused (mapping error, 4xx): dead-letter the events with <see cref="WriteOutcome.Reason"/>.</summary>
    Rejected,
}

/// <summary>The per-item result of a bulk write.</summary>
public readonly record struct WriteOutcome(string Key, WriteStatus Status, string? Reason = null)
{
    public static WriteOutcome Applied(string key) => new(key, WriteStatus.Applied);
}
