using System.Text;
using EventSourcing.EventStore.Naming;
using Marten;

namespace EventSourcing.EventStore.Validation;

/// <summary>Checks an append at the edge, before any SQL runs.</summary>
internal sealed class AppendValidator(EventTypeRegistry registry, int maxPayloadBytes, ISerializer serializer)
{
    public static void StreamId(Guid streamId)
    {
        if (streamId == Guid.Empty)
            throw new ArgumentException("stream id must not be empty (Guid.Empty)", nameof(streamId));
    }

    public void Events(IReadOnlyList<object>? events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
            throw new ArgumentException("the event list is empty; an append needs at least one event", nameof(events));

        for (var i = 0; i < events.Count; i++)
        {
            var @event = events[i] ?? throw new ArgumentException($"event #{i} is null", nameof(events));
            var registration = registry.Get(@event.GetType());
            var json = serializer.ToJson(@event);
            if (StorablePayload.Problem(json) is { } problem)
                throw new ArgumentException($"event #{i} '{registration.Name}' holds {problem}, which PostgreSQL cannot store in jsonb; reject such text before it becomes an event", nameof(events));
            if (maxPayloadBytes > 0)
            {
                var size = Encoding.UTF8.GetByteCount(json);
                if (size > maxPayloadBytes)
                    throw new EventPayloadTooLargeException(registration.Name, i, size, maxPayloadBytes);
            }
        }
    }

    public static void IdempotencyKey(string? key)
    {
        if (key is null)
            return;
        if (string.IsNullOrWhiteSpace(key))
            throw new ArgumentException("idempotency key must not be empty or whitespace (pass null for none)", nameof(key));
        if (key.Length > 200)
            throw new ArgumentException($"idempotency key '{key[..40]}...' is {key.Length} characters; the limit is 200", nameof(key));
    }
}
