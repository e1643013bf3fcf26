namespace EventSourcing.Projections.Tests.Elasticsearch.Transport;

/// <summary>A clock that says what the test wants; timers still run on the system clock.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
