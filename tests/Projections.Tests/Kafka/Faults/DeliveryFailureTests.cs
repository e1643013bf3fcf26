using Confluent.Kafka;
using EventSourcing.Projections.Kafka;
using EventSourcing.Projections.Kafka.Consuming;
using EventSourcing.Projections.Kafka.Options;
using EventSourcing.Projections.Kafka.Publishing;
using EventSourcing.TestInfrastructure;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventSourcing.Projections.Tests.Kafka.Faults;

/// <summary>
/// Kafka rejects the publisher's Produce requests (librdkafka's mock cluster injects the broker error),
/// so delivery reports come back failed: the publisher produces the page again, the checkpoint waits
/// for the acknowledgements, and once the brokers accept again every event arrives.
/// </summary>
public sealed class DeliveryFailureTests(PostgresFixture postgres, KafkaFixture kafka)
    : KafkaTestBase(postgres, kafka), IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const string Topic = "orders-faults";

    [Fact]
    public async Task rejected_deliveries_are_produced_again_nothing_is_lost_and_the_checkpoint_waits_for_the_acknowledgements()
    {
        using var cluster = new FaultyKafkaCluster();
        using var registry = NewRegistry();
        var options = new KafkaPublisherOptions
        {
            Kafka = new KafkaClientOptions { BootstrapServers = cluster.BootstrapServers },
            AutoRegisterSchemas = true,
            BatchSize = 100,
            MaxDeliveryAttempts = 1_000, // keep trying for as long as the fault lasts
            RetryBackoff = TimeSpan.FromMilliseconds(20),
            Topics = new Dictionary<string, string> { ["order"] = Topic },
        };
        await using var host = await PublisherHost.StartAsync(Postgres.NewSchemaName(), Postgres.ConnectionString, options, registry, TestContracts.Publisher(), Ct);

        // Given events the brokers acknowledged
        await AppendOrdersAsync(host.Store, orders: 10, perOrder: 3, Ct);
        var acknowledged = await host.HighWaterAsync(Ct);
        await host.WaitForCheckpointAsync(acknowledged, Ct);
        Assert.Equal(0, host.Publisher.FailedDeliveries);

        // When every Produce request is rejected (a non-retriable broker error: the delivery reports fail)
        cluster.FailProduceRequests(100_000, ErrorCode.InvalidRecord);
        await AppendOrdersAsync(host.Store, orders: 40, perOrder: 10, Ct);
        var total = await host.HighWaterAsync(Ct);

        // Then the publisher keeps producing the page again, and the checkpoint stays before it
        await Eventually.Until(() => Task.FromResult(host.Publisher.FailedDeliveries), n => n >= 3 * options.BatchSize, TimeSpan.FromSeconds(60),
            "three rejected attempts of the first page");
        Assert.Equal(acknowledged, await host.CheckpointAsync(Ct));
        var publishedBefore = host.Publisher.MessagesPublished;

        // When the brokers accept again, every event is delivered and the checkpoint reaches the end
        cluster.HealProduceRequests();
        await host.WaitForCheckpointAsync(total, Ct);
        Assert.True(host.Publisher.MessagesPublished - publishedBefore >= total - acknowledged);
        Assert.True(host.Producer.Replaced >= 1, "a batch rejected for good stops the producer (gapless) and a new one takes over");

        // Nothing is lost, and a consumer that drops duplicates sees each stream once, in order.
        var handler = new RecordingHandler();
        var runner = new KafkaProjectionRunner(new KafkaConsumerOptions
            {
                Kafka = new KafkaClientOptions { BootstrapServers = cluster.BootstrapServers },
                GroupId = "faults-" + Guid.NewGuid().ToString("N")[..8],
                Topics = [Topic],
                RetryBackoff = TimeSpan.FromMilliseconds(50),
            },
            new AvroEventDecoder(registry, TestContracts.Publisher()), handler, NullLogger<KafkaProjectionRunner>.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = runner.RunAsync(stop.Token);
        await Eventually.Until(() => Task.FromResult(handler.Count), n => n >= total, TimeSpan.FromSeconds(60), $"the consumer to apply {total} events");
        await stop.CancelAsync();
        await running;

        Assert.Equal(total, handler.Count);
        Assert.Equal(Enumerable.Range(1, (int)total).Select(s => (long)s), handler.Events.Select(e => e.GlobalSequence).Order());
        Assert.All(handler.Events.GroupBy(e => e.StreamKey), stream =>
            Assert.Equal(Enumerable.Range(1, stream.Count()).Select(v => (long)v), stream.Select(e => e.StreamVersion)));
    }

    [Fact]
    public async Task a_page_that_failed_for_good_stops_the_publisher_and_no_later_page_is_published_before_it()
    {
        using var cluster = new FaultyKafkaCluster();
        using var registry = NewRegistry();
        var options = new KafkaPublisherOptions
        {
            Kafka = new KafkaClientOptions { BootstrapServers = cluster.BootstrapServers },
            AutoRegisterSchemas = true,
            MaxDeliveryAttempts = 2,
            RetryBackoff = TimeSpan.Zero,
            Topics = new Dictionary<string, string> { ["order"] = "orders-stopped" },
        };
        using var producer = new KafkaEventProducer(options, NullLogger<KafkaEventProducer>.Instance);
        var publisher = new KafkaEventPublisher(producer, new EventMessageFactory(TestContracts.Events(), TestContracts.Publisher(), registry, options),
            options, NullLogger<KafkaEventPublisher>.Instance);
        var controller = new PageController(options.SubscriptionName);
        var order = Guid.NewGuid();
        EventRange Page(long floor) => new(controller.Name, floor, floor + 10, null!)
        {
            Events = Enumerable.Range(1, 10).Select(i => Stored(order, floor + i)).ToList(),
        };

        await publisher.ProcessEventsAsync(Page(0), controller, null!, Ct);
        Assert.Equal([10L], controller.Buffered);

        // The brokers reject everything: the page fails after its attempts, naming where the checkpoint stays.
        cluster.FailProduceRequests(100_000, ErrorCode.InvalidRecord);
        var failed = await Assert.ThrowsAsync<KafkaPublishException>(() => publisher.ProcessEventsAsync(Page(10), controller, null!, Ct));
        Assert.Contains("after 2 attempts; first failure at global sequence 11", failed.Message, StringComparison.Ordinal);
        Assert.Contains("The checkpoint stays at 10", failed.Message, StringComparison.Ordinal);
        Assert.Equal(20, publisher.FailedDeliveries);
        Assert.True(producer.Replaced >= 1);

        // The brokers are back, but a page the daemon had loaded behind the failed one is refused: it would overtake it.
        cluster.HealProduceRequests();
        var refused = await Assert.ThrowsAsync<KafkaPublishException>(() => publisher.ProcessEventsAsync(Page(20), controller, null!, Ct));
        Assert.Contains("because the page after sequence 10 failed", refused.Message, StringComparison.Ordinal);
        Assert.Equal(10, publisher.MessagesPublished);

        // The daemon restarts from the checkpoint: the failed page, then the next, in order.
        await publisher.ProcessEventsAsync(Page(10), controller, null!, Ct);
        await publisher.ProcessEventsAsync(Page(20), controller, null!, Ct);
        Assert.Equal(30, publisher.MessagesPublished);

        var sequences = await ConsumeSequencesAsync(cluster, "orders-stopped", expected: 30);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), sequences);
    }

    private static JasperFx.Events.IEvent Stored(Guid stream, long sequence) =>
        new JasperFx.Events.Event<OrderLineAdded>(new OrderLineAdded(stream, "sku-" + sequence, 1))
        {
            Id = Guid.NewGuid(),
            StreamId = stream,
            Version = sequence,
            Sequence = sequence,
            Timestamp = DateTimeOffset.UtcNow,
            EventTypeName = TestContracts.Events().Get(typeof(OrderLineAdded)).StoredName,
        };

    private async Task<List<long>> ConsumeSequencesAsync(FaultyKafkaCluster cluster, string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
            {
                BootstrapServers = cluster.BootstrapServers,
                GroupId = "reader-" + Guid.NewGuid().ToString("N")[..8],
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
            })
            .Build();
        consumer.Subscribe(topic);
        var sequences = new List<long>();
        await Eventually.Until(() =>
        {
            for (var result = consumer.Consume(TimeSpan.FromMilliseconds(200)); result is not null; result = consumer.Consume(TimeSpan.FromMilliseconds(200)))
                sequences.Add(EventHeaders.RequireLong(result.Message.Headers, EventHeaders.GlobalSequence));
            return Task.FromResult(sequences.Count);
        }, n => n >= expected, TimeSpan.FromSeconds(60), $"{expected} messages on {topic}");
        consumer.Close();
        return sequences;
    }

    /// <summary>Stands in for the daemon's agent: records what the publisher tells it.</summary>
    private sealed class PageController(string subscription) : ISubscriptionController
    {
        public List<long> Buffered { get; } = [];

        public ShardExecutionMode Mode => ShardExecutionMode.Continuous;

        public ErrorHandlingOptions ErrorOptions { get; } = new();

        public ShardName Name { get; } = new(subscription, "All", 1);

        public AsyncOptions Options { get; } = new();

        public ValueTask MarkSuccessAsync(long processedCeiling) => ValueTask.CompletedTask;

        public ValueTask MarkRangeBufferedAsync(long ceiling)
        {
            Buffered.Add(ceiling);
            return ValueTask.CompletedTask;
        }

        public Task ReportCriticalFailureAsync(Exception ex) => Task.CompletedTask;

        public Task ReportCriticalFailureAsync(Exception ex, long lastProcessed) => Task.CompletedTask;

        public Task RecordDeadLetterEventAsync(JasperFx.Events.IEvent @event, Exception ex) => Task.CompletedTask;
    }
}
