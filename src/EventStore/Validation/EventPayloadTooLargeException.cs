namespace EventSourcing.EventStore.Validation;

/// <summary>An event's serialized payload is larger than <see cref="EventStoreOptions.MaxEventPayloadBytes"/>.</summary>
public sealed class EventPayloadTooLargeException : ArgumentException
{
    public EventPayloadTooLargeException(string eventName, int index, long sizeBytes, long limitBytes)
        : base($"event #{index} '{eventName}' is {sizeBytes} bytes, over the limit of {limitBytes} bytes (EventStoreOptions.MaxEventPayloadBytes)", "events")
    {
        EventName = eventName;
        Index = index;
        SizeBytes = sizeBytes;
        LimitBytes = limitBytes;
    }

    public string EventName { get; }

    public int Index { get; }

    public long SizeBytes { get; }

    public long LimitBytes { get; }
}
