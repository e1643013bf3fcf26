using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace EventSourcing.Benchmarks.Publish;

/// <summary>A subscription that only counts: what Marten's daemon costs alone (page fetch, deserialization, checkpoints).</summary>
internal sealed class FetchOnlySubscription : SubscriptionBase
{
    public const string SubscriptionName = "PublishFetchOnly";

    private long _pages;

    public FetchOnlySubscription(int batchSize)
    {
        Name = SubscriptionName;
        Options.BatchSize = batchSize;
        Options.MaximumHopperSize = batchSize * 4;
    }

    public long Pages => Interlocked.Read(ref _pages);

    public override Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _pages);
        return Task.FromResult<IChangeListener>(NullChangeListener.Instance);
    }
}
