using Confluent.Kafka;
using EventSourcing.Projections.Kafka.Options;
using Microsoft.Extensions.Logging;

namespace EventSourcing.Projections.Kafka.Publishing;

/// <summary>
/// The one idempotent producer (acks=all) the publisher uses for the life of the host. A batch is
/// handed to librdkafka in order and the call returns only when every delivery report is in, with
/// the failures (empty when everything was acknowledged by all in-sync replicas).
/// </summary>
/// <remarks>
/// Gapless: when Kafka rejects a batch for good, librdkafka stops the producer with a fatal error
/// instead of sending the later messages of that partition (which would put a later event of a
/// stream before the re-sent earlier one). The failed messages come back as failed deliveries, and
/// the next batch starts on a new producer: the only time the producer is replaced.
/// </remarks>
public sealed class KafkaEventProducer : IDisposable
{
    private readonly ProducerConfig _config;
    private readonly ILogger<KafkaEventProducer> _logger;

    // Confluent's clients pass the raw librdkafka handle to native code without holding it: a Produce on
    // one thread while another destroys the producer is a use-after-free that aborts the process. Every
    // native call and the destruction of a producer take this gate (uncontended: one page produces at a time).
    private readonly Lock _gate = new();
    private IProducer<string, byte[]> _producer;
    private bool _disposed;
    private int _fatal;
    private long _replaced;

    public KafkaEventProducer(KafkaPublisherOptions options, ILogger<KafkaEventProducer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _config = CreateConfig(options);
        _logger = logger;
        _producer = Build();
    }

    /// <summary>How often the producer was replaced after a fatal error.</summary>
    public long Replaced => Interlocked.Read(ref _replaced);

    private IProducer<string, byte[]> Build() =>
        new ProducerBuilder<string, byte[]>(_config)
            .SetLogHandler((_, message) => _logger.LogDebug("librdkafka {Facility}: {Message}", message.Facility, message.Message))
            .SetErrorHandler((_, error) =>
            {
                _logger.LogWarning("Kafka producer error {Code}: {Reason} (fatal: {Fatal})", error.Code, error.Reason, error.IsFatal);
                if (error.IsFatal)
                    Volatile.Write(ref _fatal, 1);
            })
            .Build();

    /// <summary>Called between batches (every delivery report of the last one is in): a producer librdkafka stopped is replaced.</summary>
    private void ReplaceIfFatal()
    {
        if (Interlocked.Exchange(ref _fatal, 0) == 0)
            return;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var stopped = _producer;
            _producer = Build();
            Interlocked.Increment(ref _replaced);
            _logger.LogWarning("The Kafka producer stopped after a fatal error and was replaced; the failed events are produced again in order");
            stopped.Dispose();
        }
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
            EnableGaplessGuarantee = true, // a batch failed for good stops the producer rather than let its partition's later messages through
        };
        options.Kafka.ApplyTo(config);
        return config;
    }

    /// <summary>Starts a batch: produce into it in order, then wait for all its delivery reports.</summary>
    public DeliveryBatch StartBatch()
    {
        ReplaceIfFatal();
        return new(TryProduce);
    }

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
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _producer.Produce(item.Topic, item.Message, onDelivery);
            }

            return true;
        }
        catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
        {
            return false; // librdkafka's local queue is full: the caller pauses while delivery reports drain it
        }
        catch (KafkaException e) when (e.Error.IsFatal || e.Error.Code is ErrorCode.Local_Fatal or ErrorCode.Local_GaplessGuarantee)
        {
            // The producer stopped (see the remarks): a failed delivery, produced again on a new producer. Right after
            // a batch failed for good, Produce may refuse with the gapless error itself before it reports the fatal state.
            Volatile.Write(ref _fatal, 1);
            onDelivery(new DeliveryReport<string, byte[]> { Topic = item.Topic, Message = item.Message, Error = e.Error });
            return true;
        }
    }

    /// <summary>Destroys the producer without flushing (what it had not delivered is dropped), once no Produce call is inside it.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _producer.Dispose();
        }
    }
}
