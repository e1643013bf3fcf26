using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Sinks;

namespace EventSourcing.Projections.Kafka.Consuming;

/// <summary>
/// Feeds a read-model projection from Kafka instead of the event store: the same projection
/// definition, the same batch processor and the same sink as the event-store daemon, so both build the
/// same read model. The sink's idempotent writes (document version = global sequence) make a batch
/// delivered twice a no-op; returning means the sink acknowledged, and only then are offsets committed.
/// </summary>
public sealed class KafkaReadModelHandler : IKafkaEventHandler
{
    private readonly IReadModelProjection _projection;
    private readonly ProjectionRuntime _runtime;

    public KafkaReadModelHandler(IReadModelProjection projection, ProjectionRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(projection);
        ArgumentNullException.ThrowIfNull(runtime);
        _projection = projection;
        _runtime = runtime;
    }

    public async Task HandleAsync(IReadOnlyList<KafkaEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var events = batch
            .Where(e => _projection.EventTypes.Contains(e.Data.GetType()))
            .Select(e => new ProjectedEvent(e.Data, e.GlobalSequence, e.StreamKey, e.EventId, e.EventType, e.Timestamp))
            .ToList();
        if (events.Count == 0)
            return;
        try
        {
            await _runtime.WaitWhilePausedAsync(_projection.Name, cancellationToken).ConfigureAwait(false);
            var version = await _runtime.LiveVersionAsync(_projection, cancellationToken).ConfigureAwait(false);
            var result = await _runtime.Processor.ProcessAsync(_projection, ReadModelTarget.For(_projection, version), events,
                SinkWriteContext.Direct, reapply: false, cancellationToken).ConfigureAwait(false);
            if (result.DeadLetters.Count > 0)
                await _runtime.Store.AddDeadLettersAsync(result.DeadLetters, cancellationToken).ConfigureAwait(false);
            var last = events.Max(e => e.Sequence);
            _runtime.Health.BatchCompleted(_projection.Name, last, last);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _runtime.Health.Faulted(_projection.Name, e);
            throw;
        }
    }
}
