namespace EventSourcing.OrderDomain.Tests.Http;

/// <summary>The system clock, unless a test pins the time with <see cref="Set"/>.</summary>
public sealed class SettableClock : TimeProvider
{
    private DateTimeOffset? _now;

    public void Set(DateTimeOffset? now) => _now = now;

    public override DateTimeOffset GetUtcNow() => _now ?? base.GetUtcNow();
}
