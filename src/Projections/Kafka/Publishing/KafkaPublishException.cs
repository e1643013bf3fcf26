namespace EventSourcing.Projections.Kafka.Publishing;

/// <summary>Kafka did not acknowledge a page of events after every attempt; the checkpoint did not move.</summary>
public sealed class KafkaPublishException : Exception
{
    public KafkaPublishException(string message) : base(message) { }

    public KafkaPublishException(string message, Exception inner) : base(message, inner) { }

    public KafkaPublishException() { }
}
