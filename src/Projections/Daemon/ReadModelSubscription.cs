using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Rebuild;
using EventSourcing.Projections.Sinks;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace EventSourcing.Projections.Daemon;

/// <summary>
/// One read model as a Marten subscription: Marten's daemon pages events past the high-water mark to it
/// (leader election and checkpoints are Marten's); this class applies a page to the live read-model
/// version through the <see cref="BatchProcessor"/>. Dead letters, the PostgreSQL sink's writes and a
/// rebuild's swap are queued on the same unit of work as the checkpoint.
/// </summary>
internal sealed class ReadModelSubscription : SubscriptionBase
{
    private readonly IReadModelProjection _projection;
    private readonly ProjectionRuntime _runtime;
    private readonly Func<string>? _eventSchema;

    /// <param name="eventSchema">The event store's schema, to read the high-water mark for the lag metric (none: lag not measured).</param>
    public ReadModelSubscription(IReadModelProjection projection, ProjectionRuntime runtime, Func<string>? eventSchema = null)
    {
        _projection = projection;
        _runtime = runtime;
        _eventSchema = eventSchema;
        Name = projection.Name;
        foreach (var type in projection.EventTypes)
            IncludedEventTypes.Add(type);
        IncludedEventTypes.Add(typeof(ReadModelSwapRequested));
        Options.BatchSize = runtime.Options.BatchSize;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        try
        {
            await _runtime.WaitWhilePausedAsync(_projection, cancellationToken).ConfigureAwait(false);
            var version = await _runtime.LiveVersionAsync(_projection, cancellationToken).ConfigureAwait(false);
            var context = new SinkWriteContext(operations);
            var segment = new List<ProjectedEvent>();
            foreach (var e in page.Events)
            {
                if (e.Data is ReadModelSwapRequested swap && swap.Projection == _projection.Name && swap.Version >= version)
                {
                    await ApplyAsync(version, segment, context, cancellationToken).ConfigureAwait(false);
                    segment.Clear();
                    await SwapAsync(swap, e, version, operations, cancellationToken).ConfigureAwait(false);
                    version = swap.Version;
                }
                else if (_projection.EventTypes.Contains(e.Data.GetType()))
                {
                    segment.Add(e.ToProjected());
                }
            }

            await ApplyAsync(version, segment, context, cancellationToken).ConfigureAwait(false);
            var highWaterMark = _eventSchema is null ? page.SequenceCeiling
                : Math.Max(page.SequenceCeiling, await _runtime.Store.HighWaterMarkAsync(_eventSchema(), cancellationToken).ConfigureAwait(false));
            Observability.ProjectionTelemetry.Lag.Record(highWaterMark - page.SequenceCeiling, Observability.ProjectionTelemetry.Tags(_projection.Name));
            _runtime.Health.BatchCompleted(_projection.Name, page.SequenceCeiling, highWaterMark);
            return NullChangeListener.Instance;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _runtime.Health.Faulted(_projection.Name, e);
            throw;
        }
    }

    private async Task ApplyAsync(int version, List<ProjectedEvent> events, SinkWriteContext context, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
            return;
        var result = await _runtime.Processor.ProcessAsync(_projection, ReadModelTarget.For(_projection, version), events,
            context, reapply: false, cancellationToken).ConfigureAwait(false);
        _runtime.Store.QueueDeadLetters(context.Operations!, result.DeadLetters);
    }

    /// <summary>
    /// Brings the rebuilt version from where the rebuild stopped up to the marker (written directly: that
    /// version is not live yet), then swaps it in with this batch's checkpoint and schedules the old one's retirement.
    /// </summary>
    private async Task SwapAsync(ReadModelSwapRequested swap, IEvent marker, int oldVersion, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var target = ReadModelTarget.For(_projection, swap.Version);
        for (var after = swap.BuiltThrough; after < marker.Sequence - 1;)
        {
            var gap = await EventPager.PageAsync(operations, after, marker.Sequence - 1, _runtime.Options.BatchSize, null, cancellationToken).ConfigureAwait(false);
            if (gap.Count == 0)
                break;
            var handled = gap.Where(e => _projection.EventTypes.Contains(e.Data.GetType())).ToList();
            if (handled.Count > 0)
            {
                var result = await _runtime.Processor.ProcessAsync(_projection, target, handled, SinkWriteContext.Direct, reapply: false, cancellationToken).ConfigureAwait(false);
                await _runtime.Store.AddDeadLettersAsync(result.DeadLetters, cancellationToken).ConfigureAwait(false);
            }

            after = gap[^1].Sequence;
        }

        if (_runtime.Sink is Sinks.Postgres.PostgresSink postgres)
            postgres.QueueSwap(target, operations);
        else
            await _runtime.Sink.SwapAsync(target, cancellationToken).ConfigureAwait(false);
        if (oldVersion != swap.Version)
            _runtime.Store.QueueRetiring(operations, _projection.Name, oldVersion, _runtime.Clock.GetUtcNow() + _runtime.Options.RetireAfter);
    }
}
