using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Reading;
using EventSourcing.EventStore.Upcasting;
using EventSourcing.Projections.Kafka.Contracts;

namespace EventSourcing.Projections.Kafka.Publishing;

/// <summary>
/// The publisher's own version check before an event is transcoded to Avro: the event must be at the
/// contract's version (the schema the message is framed with), and its stored version must be that one
/// or one an upcaster reads. An older stored version without an upcaster is a <see cref="StaleEventVersionException"/>,
/// never a message with default values.
/// </summary>
internal static class PublishedVersion
{
    public static void Check(EventEnvelope envelope, EventContract contract, EventTypeRegistry events)
    {
        var (storedName, storedVersion) = StoredEventName.Parse(envelope.StoredTypeName);
        if (string.Equals(storedName, contract.Name, StringComparison.Ordinal) && storedVersion < contract.Version && !events.HasUpcasterFrom(storedName, storedVersion))
            throw new StaleEventVersionException(storedName, storedVersion, contract.Version, contract.EventType, envelope.StreamId, envelope.StreamVersion, envelope.GlobalSequence);
        if (envelope.SchemaVersion != contract.Version || !string.Equals(envelope.TypeName, contract.Name, StringComparison.Ordinal))
            throw new InvalidOperationException(
                $"event at sequence {envelope.GlobalSequence} (stream {envelope.StreamId}, version {envelope.StreamVersion}) is '{envelope.TypeName}' v{envelope.SchemaVersion}, " +
                $"but the Kafka contract of {contract.EventType.FullName} is '{contract.Name}' v{contract.Version}; it is not published with another version's schema");
    }
}
