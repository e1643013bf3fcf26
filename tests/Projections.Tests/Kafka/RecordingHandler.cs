using System.Collections.Concurrent;
using EventSourcing.Projections.Kafka.Consuming;

namespace EventSourcing.Projections.Tests.Kafka;

/// <summary>Collects what a Kafka projection runner hands over, and can fail the next batches on demand.</summary>
internal sealed class RecordingHandler : IKafkaEventHandler
{
    private readonly ConcurrentQueue<KafkaEvent> _events = new();

    public int FailNextBatches { get; set; }

    public IReadOnlyList<KafkaEvent> Events => _events.ToList();

    public int Count => _events.Count;

    public Task HandleAsync(IReadOnlyList<KafkaEvent> batch, CancellationToken cancellationToken)
    {
        if (FailNextBatches > 0)
        {
            FailNextBatches--;
            throw new InvalidOperationException("the sink is down (test)");
        }

        foreach (var item in batch)
            _events.Enqueue(item);
        return Task.CompletedTask;
    }
}
