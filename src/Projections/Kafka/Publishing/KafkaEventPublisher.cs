using System.Diagnostics;
using EventSourcing.Projections.Kafka.Options;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Microsoft.Extensions.Logging;

namespace EventSourcing.Projections.Kafka.Publishing;

/// <summary>
/// A subscription in Marten's async daemon that publishes every committed event to Kafka. The daemon
/// hands it pages in global-sequence order and stores its checkpoint after
/// <see cref="ProcessEventsAsync"/> returns, so the checkpoint advances only once every delivery
/// report of the page succeeded. A page with failed deliveries is produced again (from its first
/// failed event on, after a pause) up to <see cref="KafkaPublisherOptions.MaxDeliveryAttempts"/> times;
/// then the error stops the subscription where it was, and no later page is published before that
/// page is (nothing is published out of order). Re-sent events are duplicates with the same event id:
/// delivery is at-least-once.
/// </summary>
/// <remarks>
/// Throughput: the daemon is told the page is buffered (<see cref="ISubscriptionController.MarkRangeBufferedAsync"/>)
/// so it loads the next page while this one is encoded and delivered; the page is encoded in chunks by
/// one worker per core and each chunk handed to librdkafka, in order, as soon as it is ready.
/// </remarks>
public sealed class KafkaEventPublisher : SubscriptionBase
{
    /// <summary>Events per encoding chunk: small enough that producing starts early, large enough to amortize the hand-off.</summary>
    internal const int ChunkSize = 500;

    private static readonly TimeSpan MaxRetryBackoff = TimeSpan.FromSeconds(30);

    private readonly KafkaEventProducer _producer;
    private readonly EventMessageFactory _messages;
    private readonly KafkaPublisherOptions _options;
    private readonly ILogger<KafkaEventPublisher> _logger;
    private long _pages;
    private long _published;
    private long _failedDeliveries;
    private long _lastReturn;
    private long? _failedFloor;

    public KafkaEventPublisher(KafkaEventProducer producer, EventMessageFactory messages, KafkaPublisherOptions options, ILogger<KafkaEventPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _producer = producer;
        _messages = messages;
        _options = options.Validate();
        _logger = logger;
        Name = options.SubscriptionName;
        Options.BatchSize = options.BatchSize;
        Options.MaximumHopperSize = options.BatchSize * 4;
    }

    /// <summary>Pages whose every delivery was acknowledged (their checkpoint is then stored by the daemon).</summary>
    public long PagesPublished => Interlocked.Read(ref _pages);

    /// <summary>Messages acknowledged by Kafka, re-sent ones included.</summary>
    public long MessagesPublished => Interlocked.Read(ref _published);

    /// <summary>Delivery reports that came back with an error (each such message was produced again or the page failed).</summary>
    public long FailedDeliveries => Interlocked.Read(ref _failedDeliveries);

    /// <summary>Where the time goes: between pages (the daemon), encoding, producing, waiting for delivery reports.</summary>
    public PublisherTimings Timings => _messages.Timings;

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(controller);
        var entered = Stopwatch.GetTimestamp();
        if (Interlocked.Read(ref _lastReturn) is var left and > 0)
            Timings.AddBetweenPages(entered - left);
        try
        {
            RefusePagesAfterAFailedOne(page);
            await PublishAsync(page, controller, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastReturn, Stopwatch.GetTimestamp());
            return NullChangeListener.Instance;
        }
        catch
        {
            // Whatever failed the page (Kafka, a poison event, a shutdown), no later page may be published before it.
            _failedFloor ??= page.SequenceFloor;
            throw;
        }
    }

    private async Task PublishAsync(EventRange page, ISubscriptionController controller, CancellationToken cancellationToken)
    {
        // The daemon may load the next page while this one is encoded and delivered; the checkpoint still
        // moves only when this method returns (Marten stores it guarded by this page's floor).
        await controller.MarkRangeBufferedAsync(page.SequenceCeiling).ConfigureAwait(false);

        var batch = await ProduceAsync(page.Events, cancellationToken).ConfigureAwait(false);
        var waiting = Stopwatch.GetTimestamp();
        var failures = await batch.CompleteAsync(cancellationToken).ConfigureAwait(false);
        Timings.AddDelivery(Stopwatch.GetTimestamp() - waiting);
        var sent = batch.Sent;
        for (var attempt = 1; ; attempt++)
        {
            Interlocked.Add(ref _published, sent.Count - failures.Count);
            if (failures.Count == 0)
                break;
            Interlocked.Add(ref _failedDeliveries, failures.Count);
            var first = failures[0];
            if (attempt >= _options.MaxDeliveryAttempts)
                throw new KafkaPublishException(
                    $"Kafka did not acknowledge {failures.Count} of {sent.Count} events after {attempt} attempts; first failure at global sequence " +
                    $"{first.Event.Sequence} on {first.Event.Topic}: {first.Error.Code} {first.Error.Reason}. The checkpoint stays at {page.SequenceFloor}.");

            _logger.LogWarning(
                "Kafka rejected {Failed} of {Total} events (first at sequence {Sequence}: {Code} {Reason}); producing again from there, attempt {Attempt} of {Max}",
                failures.Count, sent.Count, first.Event.Sequence, first.Error.Code, first.Error.Reason, attempt + 1, _options.MaxDeliveryAttempts);
            await Task.Delay(TimeSpan.FromTicks(Math.Min(_options.RetryBackoff.Ticks * attempt, MaxRetryBackoff.Ticks)), cancellationToken).ConfigureAwait(false);
            sent = sent.Where(e => e.Sequence >= first.Event.Sequence).ToList();
            failures = await _producer.ProduceAllAsync(sent, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _pages);
    }

    /// <summary>Encodes the page in chunks and produces each chunk in order as soon as it is ready.</summary>
    private async Task<DeliveryBatch> ProduceAsync(IReadOnlyList<IEvent> pageEvents, CancellationToken cancellationToken)
    {
        var chunks = _messages.EncodeInChunks(pageEvents, ChunkSize, cancellationToken);
        var batch = _producer.StartBatch();
        try
        {
            foreach (var chunk in chunks)
            {
                var waiting = Stopwatch.GetTimestamp();
                var messages = await chunk.ConfigureAwait(false);
                var producing = Stopwatch.GetTimestamp();
                Timings.AddEncodeWait(producing - waiting);
                foreach (var message in messages)
                {
                    if (!batch.TryProduce(message))
                        await batch.ProduceAsync(message, cancellationToken).ConfigureAwait(false);
                }

                Timings.AddProduce(Stopwatch.GetTimestamp() - producing);
            }
        }
        catch
        {
            // Let the other chunks finish (their errors observed) before the page fails; the delivery
            // reports of what was produced are not awaited: the producer may be the reason of the failure.
            await Task.WhenAll(chunks.Cast<Task>()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        return batch;
    }

    /// <summary>
    /// After a page failed, the daemon may still hand over pages it had loaded ahead: publishing them would
    /// put later events on Kafka before the failed ones. They are refused until the daemon restarts from
    /// the stored checkpoint (a page starting at or before the failed one).
    /// </summary>
    private void RefusePagesAfterAFailedOne(EventRange page)
    {
        if (_failedFloor is not { } failed)
            return;
        if (page.SequenceFloor > failed)
            throw new KafkaPublishException(
                $"The page after sequence {page.SequenceFloor} is not published because the page after sequence {failed} failed; the checkpoint stays at {failed}.");
        _failedFloor = null;
    }
}
