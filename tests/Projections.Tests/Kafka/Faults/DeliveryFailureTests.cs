using Confluent.Kafka;
using EventSourcing.Projections.Kafka;
using EventSourcing.Projections.Kafka.Consuming;
using EventSourcing.Projections.Kafka.Options;
using EventSourcing.TestInfrastructure;
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
}
