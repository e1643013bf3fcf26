using EventSourcing.EventStore.Deciders;

namespace EventSourcing.EventStore.Testing;

/// <summary>
/// Given/When/Then over a pure decider, no database: <c>Spec.Given(events).When(command).Then(events)</c>
/// or <c>.Throws&lt;TException&gt;()</c>. Events are compared by value (records), in order.
/// </summary>
public static class DeciderSpecification
{
    public static DeciderSpecification<TState, TCommand> For<TState, TCommand>(Decider<TState, TCommand> decider) => new(decider, []);
}

public sealed class DeciderSpecification<TState, TCommand>
{
    private readonly Decider<TState, TCommand> _decider;
    private readonly IReadOnlyList<object> _given;

    internal DeciderSpecification(Decider<TState, TCommand> decider, IReadOnlyList<object> given)
    {
        ArgumentNullException.ThrowIfNull(decider);
        _decider = decider;
        _given = given;
    }

    /// <summary>The events already in the stream.</summary>
    public DeciderSpecification<TState, TCommand> Given(params object[] events) => new(_decider, [.. _given, .. events]);

    /// <summary>The command to decide on the state the given events produce.</summary>
    public DeciderOutcome<TState> When(TCommand command)
    {
        var state = _decider.Fold(_decider.Initial, _given);
        try
        {
            var events = _decider.Decide(command, state);
            return new DeciderOutcome<TState>(events, _decider.Fold(state, events), null);
        }
#pragma warning disable CA1031 // the outcome carries the exception to Throws<T>()
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new DeciderOutcome<TState>(null, state, e);
        }
    }
}

/// <summary>The result of <c>When</c>: assert it with <see cref="Then"/>, <see cref="ThenNothing"/> or <see cref="Throws{TException}"/>.</summary>
public sealed class DeciderOutcome<TState>
{
    private readonly IReadOnlyList<object>? _events;
    private readonly Exception? _exception;

    internal DeciderOutcome(IReadOnlyList<object>? events, TState state, Exception? exception)
    {
        _events = events;
        State = state;
        _exception = exception;
    }

    /// <summary>The state after the decided events (or before, when the decider threw).</summary>
    public TState State { get; }

    /// <summary>Asserts the decider produced exactly <paramref name="expected"/>, in order.</summary>
    public DeciderOutcome<TState> Then(params object[] expected)
    {
        if (_exception is not null)
            throw new DeciderSpecificationException($"expected {expected.Length} event(s) but the decider threw {_exception.GetType().Name}: {_exception.Message}", _exception);
        var actual = _events!;
        if (actual.Count != expected.Length || !actual.SequenceEqual(expected))
            throw new DeciderSpecificationException($"expected events:\n  {Describe(expected)}\nbut got:\n  {Describe(actual)}");
        return this;
    }

    /// <summary>Asserts the decider decided nothing.</summary>
    public DeciderOutcome<TState> ThenNothing() => Then();

    /// <summary>Asserts the decider threw <typeparamref name="TException"/> (or a subtype); returns it.</summary>
    public TException Throws<TException>() where TException : Exception
    {
        if (_exception is TException typed)
            return typed;
        if (_exception is not null)
            throw new DeciderSpecificationException($"expected {typeof(TException).Name} but the decider threw {_exception.GetType().Name}: {_exception.Message}", _exception);
        throw new DeciderSpecificationException($"expected {typeof(TException).Name} but the decider returned:\n  {Describe(_events!)}");
    }

    /// <summary>Asserts something about the resulting state.</summary>
    public DeciderOutcome<TState> ThenState(Func<TState, bool> predicate, string because)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        if (!predicate(State))
            throw new DeciderSpecificationException($"state check failed: {because}; state was {State}");
        return this;
    }

    private static string Describe(IEnumerable<object> events)
    {
        var text = string.Join("\n  ", events.Select(e => e?.ToString() ?? "null"));
        return text.Length == 0 ? "(no events)" : text;
    }
}

/// <summary>A Given/When/Then expectation did not hold.</summary>
public sealed class DeciderSpecificationException : Exception
{
    public DeciderSpecificationException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }
}
