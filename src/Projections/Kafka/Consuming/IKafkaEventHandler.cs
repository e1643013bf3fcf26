namespace EventSourcing.Projections.Kafka.Consuming;

/// <summary>
/// Receives decoded, de-duplicated batches in per-key order. Returning means the batch is acknowledged
/// (written to the sink); only then are the offsets committed. Throwing leaves them uncommitted, and the
/// batch is delivered again.
/// </summary>
public interface IKafkaEventHandler
{
    Task HandleAsync(IReadOnlyList<KafkaEvent> batch, CancellationToken cancellationToken);
}
