using EventSourcing.Projections.Definitions;

namespace EventSourcing.OrderDomain.Tests.Evolution;

/// <summary>A stream's events as today's code describes them, one line each.</summary>
public sealed record Ledger(IReadOnlyList<string> Lines);

/// <summary>
/// The read model every daemon path builds: one <see cref="Ledger"/> per stream. <see cref="Poisoned"/>
/// makes the handler fail for the events it matches, so a dead letter can be made and then retried.
/// </summary>
public sealed class LedgerProjection : ReadModelProjection<Ledger>
{
    private readonly Func<object, IEnumerable<string>> _describe;

    public LedgerProjection(string name, Evolution evolution, IEnumerable<Type> eventTypes) : base(name, version: 1)
    {
        _describe = evolution.Describe;
        foreach (var type in eventTypes)
            typeof(LedgerProjection).GetMethod(nameof(Track), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(type).Invoke(this, null);
    }

    public Func<object, bool> Poisoned { get; set; } = _ => false;

    private void Track<TEvent>() where TEvent : notnull =>
        Upsert<TEvent>(ByStream, (document, e) => Poisoned(e)
            ? throw new InvalidOperationException($"poisoned: {e}")
            : new Ledger([.. document?.Lines ?? [], .. _describe(e)]));
}
