namespace EventSourcing.EventStore.Naming;

/// <summary>
/// A stored event has a type name that no registration or upcaster knows. Readers fail on it rather
/// than skip it, unless <see cref="EventStoreOptions.TolerantReader"/> is on.
/// </summary>
public sealed class UnknownStoredEventTypeException : Exception
{
    public UnknownStoredEventTypeException(Guid streamId, long version, string typeName, Exception? innerException = null)
        : base($"stream {streamId} version {version}: unknown event type '{typeName}'; register it or an upcaster for it (or opt in to EventStoreOptions.TolerantReader)", innerException)
    {
        StreamId = streamId;
        Version = version;
        TypeName = typeName;
    }

    public Guid StreamId { get; }

    public long Version { get; }

    public string TypeName { get; }
}
