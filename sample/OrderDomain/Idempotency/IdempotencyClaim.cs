namespace OrderDomain.Idempotency;

/// <summary>What claiming a key found: the key is ours now, or another request of it is in flight, or it has an answer.</summary>
public abstract record IdempotencyClaim
{
    private IdempotencyClaim() { }

    /// <summary>This request owns the key until it records an answer, releases it, or its lease runs out.</summary>
    public sealed record Owned(Guid LeaseToken) : IdempotencyClaim;

    /// <summary>Another request with this key is being handled (its lease has not run out).</summary>
    public sealed record InFlight(string Fingerprint) : IdempotencyClaim;

    /// <summary>The key's first request was answered; this is what it was answered.</summary>
    public sealed record Answered(string Fingerprint, RecordedResponse Response) : IdempotencyClaim;
}
