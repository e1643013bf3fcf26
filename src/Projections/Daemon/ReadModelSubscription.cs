using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Rebuild;
using EventSourcing.Projections.Sinks;
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
/// <remarks>
/// A rebuild leaves its request in <c>projection_state</c> (never in the event log): "version N+1 is complete
/// through sequence B". The first batch whose floor is at or past B catches N+1 up from B to the floor, applies
/// its own events to N+1 instead of N, and swaps N+1 in with its checkpoint. Batches are serialised by the
/// daemon and fenced by Marten's conditional checkpoint, so no event can be applied to N after N+1 took over.
/// </remarks>
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
        // a stored event an upcaster splits reaches projections as a SplitEvent (expanded below)
        IncludedEventTypes.Add(typeof(EventSourcing.EventStore.Upcasting.SplitEvent));
        Options.BatchSize = runtime.Options.BatchSize;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        try
        {
            var state = await _runtime.WaitWhilePausedAsync(_projection, cancellationToken).ConfigureAwait(false);
            _runtime.Health.HandOver(_projection.Name, state.PendingSwap, state.LastSwap);
            var live = await _runtime.LiveVersionAsync(_projection, cancellationToken).ConfigureAwait(false);
            var context = new SinkWriteContext(operations);
            var target = live;
            var handOverDeadLetters = 0;
            if (state.PendingSwap is { } swap)
            {
                if (swap.Version <= live)
                    _runtime.Store.QueueSwapDropped(operations, _projection.Name, swap.Version);
                else if (page.SequenceFloor >= swap.BuiltThrough)
                {
                    handOverDeadLetters = await HandOver.CatchUpAsync(_runtime, _projection, ReadModelTarget.For(_projection, swap.Version),
                        operations, swap.BuiltThrough, page.SequenceFloor, cancellationToken).ConfigureAwait(false);
                    target = swap.Version;
                }
            }

            var events = new List<ProjectedEvent>(page.Events.Count);
            foreach (var stored in page.Events)
            {
                foreach (var e in stored.Expand())
                {
                    if (_projection.EventTypes.Contains(e.Data.GetType()))
                        events.Add(e);
                }
            }

            if (events.Count > 0)
            {
                var result = await _runtime.Processor.ProcessAsync(_projection, ReadModelTarget.For(_projection, target), events,
                    context, reapply: false, cancellationToken).ConfigureAwait(false);
                _runtime.Store.QueueDeadLetters(operations, result.DeadLetters);
            }

            if (target != live)
                await SwapAsync(target, live, page.SequenceCeiling, handOverDeadLetters, operations, cancellationToken).ConfigureAwait(false);

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

    /// <summary>Swaps the caught-up version in with this batch's checkpoint and schedules the old one's retirement.</summary>
    private async Task SwapAsync(int version, int oldVersion, long atSequence, int deadLetters, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var target = ReadModelTarget.For(_projection, version);
        if (_runtime.Sink is Sinks.Postgres.PostgresSink postgres)
            postgres.QueueSwap(target, operations);
        else
            await _runtime.Sink.SwapAsync(target, cancellationToken).ConfigureAwait(false);
        _runtime.Store.QueueSwapCompleted(operations, _projection.Name, version, atSequence, deadLetters);
        _runtime.Store.QueueRetiring(operations, _projection.Name, oldVersion, _runtime.Clock.GetUtcNow() + _runtime.Options.RetireAfter);
    }
}
