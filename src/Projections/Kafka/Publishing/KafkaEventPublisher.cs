using EventSourcing.Projections.Kafka.Options;
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
/// failed event on) up to <see cref="KafkaPublisherOptions.MaxDeliveryAttempts"/> times; then the
/// error stops the subscription where it was, and nothing after it is published out of order.
/// Re-sent events are duplicates with the same event id: delivery is at-least-once.
/// </summary>
public sealed class KafkaEventPublisher : SubscriptionBase
{
    private readonly KafkaEventProducer _producer;
    private readonly EventMessageFactory _messages;
    private readonly KafkaPublisherOptions _options;
    private readonly ILogger<KafkaEventPublisher> _logger;

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

    private long _pages;
    private long _published;

    /// <summary>Pages whose every delivery was acknowledged (their checkpoint is then stored by the daemon).</summary>
    public long PagesPublished => Interlocked.Read(ref _pages);

    /// <summary>Messages acknowledged by Kafka, re-sent ones included.</summary>
    public long MessagesPublished => Interlocked.Read(ref _published);

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var delivery = _producer.StartBatch();
        foreach (var @event in page.Events)
        {
            // The projection host's own control events (the rebuild's swap marker) are not domain events.
            if (@event.Data is Rebuild.ReadModelSwapRequested)
                continue;
            foreach (var message in await _messages.CreateAsync(@event, cancellationToken).ConfigureAwait(false))
                await delivery.ProduceAsync(message, cancellationToken).ConfigureAwait(false);
        }

        var batch = delivery.Sent;
        var failures = await delivery.CompleteAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            if (failures.Count == 0)
            {
                Interlocked.Increment(ref _pages);
                Interlocked.Add(ref _published, batch.Count);
                return NullChangeListener.Instance;
            }

            var first = failures.MinBy(f => f.Event.Sequence);
            if (attempt >= _options.MaxDeliveryAttempts)
                throw new KafkaPublishException(
                    $"Kafka did not acknowledge {failures.Count} of {batch.Count} events after {attempt} attempts; first failure at global sequence " +
                    $"{first.Event.Sequence} on {first.Event.Topic}: {first.Error.Code} {first.Error.Reason}. The checkpoint stays at {page.SequenceFloor}.");

            _logger.LogWarning(
                "Kafka rejected {Failed} of {Total} events (first at sequence {Sequence}: {Code} {Reason}); producing again from there, attempt {Attempt} of {Max}",
                failures.Count, batch.Count, first.Event.Sequence, first.Error.Code, first.Error.Reason, attempt + 1, _options.MaxDeliveryAttempts);
            batch = batch.Where(e => e.Sequence >= first.Event.Sequence).ToList();
            failures = await _producer.ProduceAllAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }
}
