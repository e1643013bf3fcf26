using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Upcasting;
using JasperFx.Events;

namespace EventSourcing.EventStore.Reading;

/// <summary>
/// A committed event with its metadata, as every reader of this library returns it. <see cref="Data"/>
/// is always the current CLR type (upcasters have run); <see cref="TypeName"/> and
/// <see cref="SchemaVersion"/> describe <see cref="Data"/>, <see cref="StoredTypeName"/> is what the
/// event log holds.
/// </summary>
public sealed record EventEnvelope(
    Guid EventId,
    Guid StreamId,
    long StreamVersion,
    long GlobalSequence,
    DateTimeOffset Timestamp,
    string TypeName,
    int SchemaVersion,
    string StoredTypeName,
    string? CorrelationId,
    string? CausationId,
    IReadOnlyDictionary<string, object> Headers,
    object Data)
{
    private static readonly IReadOnlyDictionary<string, object> NoHeaders = new Dictionary<string, object>(StringComparer.Ordinal);

    /// <summary>
    /// Converts a Marten event (as seen by projections and subscriptions) to envelopes: one, or several
    /// when an upcaster split the stored event. Throws <see cref="UnknownStoredEventTypeException"/>
    /// for a stored type name the registry does not know, and <see cref="StaleEventVersionException"/> for
    /// an older version of a registered type that no upcaster reads.
    /// </summary>
    public static IReadOnlyList<EventEnvelope> FromMarten(IEvent @event, EventTypeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(registry);
        var (name, storedVersion) = StoredEventName.Parse(@event.EventTypeName);
        if (registry.Find(name) is { } current && storedVersion < current.SchemaVersion && !registry.HasUpcasterFrom(name, storedVersion))
            throw new StaleEventVersionException(name, storedVersion, current.SchemaVersion, current.ClrType, @event.StreamId, @event.Version, @event.Sequence);
        if (!registry.IsKnownStoredName(@event.EventTypeName))
            throw new UnknownStoredEventTypeException(@event.StreamId, @event.Version, @event.EventTypeName);
        if (@event.Data is SplitEvent split)
        {
            var list = new EventEnvelope[split.Events.Count];
            for (var i = 0; i < list.Length; i++)
                list[i] = Create(@event, split.Events[i], registry);
            return list;
        }

        return [Create(@event, @event.Data, registry)];
    }

    private static EventEnvelope Create(IEvent @event, object data, EventTypeRegistry registry)
    {
        var registration = registry.Get(data.GetType());
        IReadOnlyDictionary<string, object> headers = @event.Headers is { Count: > 0 } h
            ? new Dictionary<string, object>(h, StringComparer.Ordinal)
            : NoHeaders;
        return new EventEnvelope(
            @event.Id,
            @event.StreamId,
            @event.Version,
            @event.Sequence,
            @event.Timestamp,
            registration.Name,
            registration.SchemaVersion,
            @event.EventTypeName,
            @event.CorrelationId,
            @event.CausationId,
            headers,
            data);
    }
}
