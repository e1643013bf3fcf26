namespace EventSourcing.EventStore.Validation;

/// <summary>An event of a CLR type that is not in the <see cref="Naming.EventTypeRegistry"/> was offered for appending.</summary>
public sealed class UnregisteredEventTypeException : ArgumentException
{
    public UnregisteredEventTypeException(Type eventType)
        : base($"event type '{eventType.FullName}' is not registered; register it with EventTypeRegistry.Register<{eventType.Name}>() (and give it an [EventName])", "events")
    {
        EventType = eventType;
    }

    public Type EventType { get; }
}
