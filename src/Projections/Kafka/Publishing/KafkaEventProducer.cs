using Confluent.Kafka;
using EventSourcing.Projections.Kafka.Options;
using Microsoft.Extensions.Logging;

namespace EventSourcing.Projections.Kafka.Publishing;

/// <summary>
/// The one idempotent producer (acks=all) the publisher uses for the life of the host. A batch is
/// handed to librdkafka in order and the call returns only when every delivery report is in, with
/// the failures (empty when everything was acknowledged by all in-sync replicas).
/// </summary>
public sealed class KafkaEventProducer : IDisposable
{
    private readonly IProducer<string, byte[]> _producer;

    public KafkaEventProducer(KafkaPublisherOptions options, ILogger<KafkaEventProducer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _producer = new ProducerBuilder<string, byte[]>(CreateConfig(options))
            .SetLogHandler((_, message) => logger.LogDebug("librdkafka {Facility}: {Message}", message.Facility, message.Message))
            .SetErrorHandler((_, error) => logger.LogWarning("Kafka producer error {Code}: {Reason} (fatal: {Fatal})", error.Code, error.Reason, error.IsFatal))
            .Build();
    }

    public static ProducerConfig CreateConfig(KafkaPublisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new ProducerConfig
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            MaxInFlight = 5,
            MessageTimeoutMs = (int)options.DeliveryTimeout.TotalMilliseconds,
            LingerMs = options.Linger.TotalMilliseconds,
            CompressionType = CompressionType.Lz4,
            Partitioner = Partitioner.Murmur2Random, // the Java client's partitioner: same key, same partition as other producers
            DeliveryReportFields = "status", // only the outcome is read; copying key, value and headers back costs CPU per message
        };
        options.Kafka.ApplyTo(config);
        return config;
    }

    /// <summary>Starts a batch: produce into it in order, then wait for all its delivery reports.</summary>
    public DeliveryBatch StartBatch() => new(TryProduce);

    /// <summary>Produces the batch in order and waits for every delivery report.</summary>
    public async Task<IReadOnlyList<(OutgoingEvent Event, Error Error)>> ProduceAllAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var delivery = StartBatch();
        foreach (var item in batch)
            await delivery.ProduceAsync(item, cancellationToken).ConfigureAwait(false);
        return await delivery.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private bool TryProduce(OutgoingEvent item, Action<DeliveryReport<string, byte[]>> onDelivery)
    {
        try
        {
            _producer.Produce(item.Topic, item.Message, onDelivery);
            return true;
        }
        catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
        {
            return false; // librdkafka's local queue is full: the caller pauses while delivery reports drain it
        }
    }

    public void Dispose() => _producer.Dispose();
}
