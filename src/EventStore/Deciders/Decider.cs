namespace EventSourcing.EventStore.Deciders;

/// <summary>
/// An aggregate as a pure decider: <see cref="Decide"/> turns a command and the current state into new
/// events (or throws a domain exception), <see cref="Evolve"/> folds one event into the state. Time and
/// ids come in with the command; neither function performs I/O.
/// </summary>
/// <param name="Name">Stable aggregate name, used as the snapshot key (e.g. <c>order</c>).</param>
public sealed record Decider<TState, TCommand>(
    string Name,
    TState Initial,
    Func<TCommand, TState, IReadOnlyList<object>> Decide,
    Func<TState, object, TState> Evolve)
{
    /// <summary>Folds <paramref name="events"/> into <paramref name="state"/>.</summary>
    public TState Fold(TState state, IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var @event in events)
            state = Evolve(state, @event);
        return state;
    }
}
