using EventSourcing.EventStore.Deciders;
using EventSourcing.EventStore.Naming;

namespace EventSourcing.EventStore.Tests.Support;

[EventName("counter.opened")]
public sealed record CounterOpened(Guid CounterId, string Name);

[EventName("counter.incremented")]
public sealed record CounterIncremented(Guid CounterId, int By);

[EventName("counter.closed")]
public sealed record CounterClosed(Guid CounterId);

public abstract record CounterCommand;

public sealed record OpenCounter(Guid CounterId, string Name) : CounterCommand;

public sealed record Increment(Guid CounterId, int By) : CounterCommand;

public sealed record CloseCounter(Guid CounterId) : CounterCommand;

public sealed class CounterRuleViolated(string message) : Exception(message);

public sealed record CounterState(bool Opened, bool Closed, long Total, int Increments)
{
    public static CounterState Initial { get; } = new(false, false, 0, 0);
}

/// <summary>A small decider the tests drive; pure functions only.</summary>
public static class Counter
{
    public static Decider<CounterState, CounterCommand> Decider { get; } = new("counter", CounterState.Initial, Decide, Evolve);

    public static IReadOnlyList<object> Decide(CounterCommand command, CounterState state) => command switch
    {
        OpenCounter c when !state.Opened => [new CounterOpened(c.CounterId, c.Name)],
        OpenCounter => throw new CounterRuleViolated("counter is already open"),
        Increment when !state.Opened || state.Closed => throw new CounterRuleViolated("counter is not open"),
        Increment c => [new CounterIncremented(c.CounterId, c.By)],
        CloseCounter when state.Closed => [],
        CloseCounter c => [new CounterClosed(c.CounterId)],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown command"),
    };

    public static CounterState Evolve(CounterState state, object @event) => @event switch
    {
        CounterOpened => state with { Opened = true },
        CounterIncremented e => state with { Total = state.Total + e.By, Increments = state.Increments + 1 },
        CounterClosed => state with { Closed = true },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown event"),
    };
}
