using EventSourcing.EventStore.Naming;

namespace EventSourcing.Projections.Kafka.Contracts;

/// <summary>
/// The event types a publisher or consumer knows, by CLR type and by stable name. An event that has
/// no contract is an error naming it, never skipped.
/// </summary>
public sealed class EventContracts
{
    private readonly Dictionary<Type, EventContract> _byType;
    private readonly Dictionary<string, EventContract> _byName;

    public EventContracts(IEnumerable<EventContract> contracts)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        var list = contracts.ToList();
        if (list.Count == 0)
            throw new ArgumentException("EventContracts needs at least one event contract.", nameof(contracts));
        var duplicate = list.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"The event name '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(c => c.EventType.FullName))}.", nameof(contracts));
        _byType = list.ToDictionary(c => c.EventType);
        _byName = list.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<EventContract> All => _byType.Values;

    /// <summary>Every event type of the event registry, with the Avro schemas SchemaTools generates.</summary>
    public static EventContracts FromRegistry(EventTypeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return new EventContracts(registry.Registrations.Select(EventContract.Generate));
    }

    /// <summary>Contracts for a consumer's own event types (each with <c>[EventName]</c>).</summary>
    public static EventContracts Of(params Type[] eventTypes) => new(eventTypes.Select(EventContract.Generate));

    public EventContract For(Type eventType) =>
        _byType.TryGetValue(eventType, out var contract)
            ? contract
            : throw new InvalidOperationException(
                $"The event type {eventType.FullName} has no Kafka contract; register it with the event registry so it has a name, a version and an Avro schema.");

    public bool TryGetByName(string name, out EventContract contract) => _byName.TryGetValue(name, out contract!);
}
