using Confluent.Kafka;

namespace EventSourcing.Projections.Kafka.Publishing;

/// <summary>One committed event ready to produce: its topic, and key = stream id, value = framed Avro, headers.</summary>
public sealed record OutgoingEvent(string Topic, Message<string, byte[]> Message, long Sequence);
