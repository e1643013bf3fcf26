using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace EventSourcing.Projections.Daemon;

/// <summary>
/// One read model as a Marten subscription: Marten's daemon pages events past the high-water mark to it
/// (leader election and checkpoints are Marten's); this class applies a page to the live read-model
/// version through the <see cref="BatchProcessor"/>. Dead letters are queued on the same unit of work
/// as the checkpoint, and so are the PostgreSQL sink's writes.
/// </summary>
internal sealed class ReadModelSubscription : SubscriptionBase
{
    private readonly IReadModelProjection _projection;
    private readonly ProjectionRuntime _runtime;

    public ReadModelSubscription(IReadModelProjection projection, ProjectionRuntime runtime)
    {
        _projection = projection;
        _runtime = runtime;
        Name = projection.Name;
        foreach (var type in projection.EventTypes)
            IncludedEventTypes.Add(type);
        Options.BatchSize = runtime.Options.BatchSize;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        try
        {
            await _runtime.WaitWhilePausedAsync(_projection.Name, cancellationToken).ConfigureAwait(false);
            var version = await _runtime.LiveVersionAsync(_projection, cancellationToken).ConfigureAwait(false);
            var events = page.Events.Where(e => _projection.EventTypes.Contains(e.Data.GetType())).Select(e => e.ToProjected()).ToList();
            var result = await _runtime.Processor.ProcessAsync(_projection, ReadModelTarget.For(_projection, version), events,
                new SinkWriteContext(operations), reapply: false, cancellationToken).ConfigureAwait(false);
            _runtime.Store.QueueDeadLetters(operations, result.DeadLetters);
            _runtime.Health.BatchCompleted(_projection.Name, page.SequenceCeiling, page.SequenceCeiling);
            return NullChangeListener.Instance;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _runtime.Health.Faulted(_projection.Name, e);
            throw;
        }
    }
}
