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
        };
        options.Kafka.ApplyTo(config);
        return config;
    }

    /// <summary>Produces the batch in order and waits for every delivery report.</summary>
    public async Task<IReadOnlyList<(OutgoingEvent Event, Error Error)>> ProduceAllAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
            return [];
        var errors = new Error?[batch.Count];
        var pending = batch.Count;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < batch.Count; i++)
        {
            var index = i;
            void OnDelivery(DeliveryReport<string, byte[]> report)
            {
                if (report.Error.IsError)
                    errors[index] = report.Error;
                if (Interlocked.Decrement(ref pending) == 0)
                    done.TrySetResult();
            }

            await ProduceOneAsync(batch[i], OnDelivery, cancellationToken).ConfigureAwait(false);
        }

        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return errors.Select((error, i) => (batch[i], error)).Where(x => x.error is not null).Select(x => (x.Item1, x.error!)).ToList();
    }

    private async Task ProduceOneAsync(OutgoingEvent item, Action<DeliveryReport<string, byte[]>> onDelivery, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                _producer.Produce(item.Topic, item.Message, onDelivery);
                return;
            }
            catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // librdkafka's local queue is full: let delivery reports drain it, then enqueue again in order.
                using var pause = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
                await pause.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _producer.Dispose();
}
