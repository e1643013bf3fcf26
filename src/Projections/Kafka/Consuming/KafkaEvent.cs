using Confluent.Kafka;

namespace EventSourcing.Projections.Kafka.Consuming;

/// <summary>An event read from Kafka: decoded to the consumer's own type, with the publisher's headers.</summary>
public sealed record KafkaEvent(
    string EventType,
    int SchemaVersion,
    Guid EventId,
    long GlobalSequence,
    long StreamVersion,
    string StreamKey,
    object Data,
    string? CorrelationId,
    string? CausationId,
    DateTimeOffset Timestamp,
    int Part,
    TopicPartitionOffset Position);
