using System.Globalization;

namespace OrderDomain.Idempotency;

/// <summary>
/// How requests with an <c>Idempotency-Key</c> are recorded and replayed (configuration section
/// <c>Orders:Idempotency</c>, e.g. <c>Orders__Idempotency__WaitTimeout=00:00:05</c>).
/// </summary>
public sealed record IdempotencyOptions
{
    public const string Section = "Orders:Idempotency";

    /// <summary>How long a duplicate waits for the request still in flight before it gets <c>409 idempotency_key_in_use</c>.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an in-flight request owns its key. A process that died while handling it leaves the key leased
    /// until then; the next retry after it executes again (the event store's key still prevents a second append).
    /// Must be longer than the slowest request.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a waiting duplicate looks at the key again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>The <c>Retry-After</c> sent with <c>409 idempotency_key_in_use</c>.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a recorded answer is replayed (Stripe keeps keys for 24 hours).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The <c>Retry-After</c> value in whole seconds, at least 1.</summary>
    public string RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The first setting that is out of range, named; null when all are valid.</summary>
    public string? Invalid()
    {
        if (WaitTimeout < TimeSpan.Zero)
            return $"{Section}:WaitTimeout must be 0 or more, was {WaitTimeout}";
        if (Lease <= WaitTimeout)
            return $"{Section}:Lease ({Lease}) must be longer than {Section}:WaitTimeout ({WaitTimeout})";
        if (PollInterval <= TimeSpan.Zero)
            return $"{Section}:PollInterval must be positive, was {PollInterval}";
        if (RetryAfter <= TimeSpan.Zero)
            return $"{Section}:RetryAfter must be positive, was {RetryAfter}";
        if (Retention <= Lease)
            return $"{Section}:Retention ({Retention}) must be longer than {Section}:Lease ({Lease})";
        return null;
    }
}
