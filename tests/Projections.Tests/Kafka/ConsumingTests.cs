using EventSourcing.TestInfrastructure;

namespace EventSourcing.Projections.Tests.Kafka;

public sealed class ConsumingTests(PostgresFixture postgres, KafkaFixture kafka)
    : KafkaTestBase(postgres, kafka), IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task events_published_with_v1_are_read_by_a_v2_consumer_with_the_default_of_the_added_field()
    {
        using var registry = NewRegistry();
        var options = PublisherHost.DefaultOptions(Kafka) with { Topics = new Dictionary<string, string> { ["order"] = "orders-evolution" } };
        await using var host = await PublisherHost.StartAsync(Postgres.NewSchemaName(), Postgres.ConnectionString, options, registry, TestContracts.Publisher(), Ct);
        var orders = await AppendOrdersAsync(host.Store, orders: 5, perOrder: 3, Ct);
        await host.WaitForCheckpointAsync(await host.HighWaterAsync(Ct), Ct);

        var handler = new RecordingHandler();
        var runner = NewRunner(registry, TestContracts.ConsumerWithShippedV2(), handler, "orders-evolution");
        await RunUntilAsync(runner, () => handler.Count >= 15);

        var shipped = handler.Events.Where(e => e.EventType == "order.shipped").Select(e => e.Data).ToList();
        Assert.Equal(5, shipped.Count);
        Assert.All(shipped, s => Assert.Equal("none", Assert.IsType<OrderShippedV2>(s).TrackingUrl));
        Assert.Equal(orders.Order(), shipped.Cast<OrderShippedV2>().Select(s => s.OrderId).Order());
        Assert.All(handler.Events.Where(e => e.EventType == "order.shipped"), e => Assert.Equal(1, e.SchemaVersion)); // written with v1
        var placed = Assert.IsType<OrderPlaced>(handler.Events.First(e => e.EventType == "order.placed").Data);
        Assert.Equal((10.25m, new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero)), (placed.Amount, placed.PlacedAt));
    }

    [Fact]
    public async Task offsets_are_committed_only_after_the_handler_acknowledged_so_a_failed_batch_is_delivered_again()
    {
        using var registry = NewRegistry();
        var options = PublisherHost.DefaultOptions(Kafka) with { Topics = new Dictionary<string, string> { ["order"] = "orders-retry" } };
        await using var host = await PublisherHost.StartAsync(Postgres.NewSchemaName(), Postgres.ConnectionString, options, registry, TestContracts.Publisher(), Ct);
        await AppendOrdersAsync(host.Store, orders: 20, perOrder: 5, Ct);
        await host.WaitForCheckpointAsync(await host.HighWaterAsync(Ct), Ct);

        var group = "g-retry-" + Guid.NewGuid().ToString("N")[..6];
        var handler = new RecordingHandler { FailNextBatches = 3 };
        await RunUntilAsync(NewRunner(registry, TestContracts.Publisher(), handler, "orders-retry", group), () => handler.Count >= 100);

        // A second instance of the same group starts from the committed offsets: nothing is left to apply.
        var second = new RecordingHandler();
        var secondRunner = NewRunner(registry, TestContracts.Publisher(), second, "orders-retry", group);
        await AppendOrdersAsync(host.Store, orders: 1, perOrder: 2, Ct);
        await host.WaitForCheckpointAsync(await host.HighWaterAsync(Ct), Ct);
        await RunUntilAsync(secondRunner, () => second.Count >= 2);

        Assert.Equal(100, handler.Count);
        Assert.Equal(100, handler.Events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(2, second.Count);
    }

    private async Task RunUntilAsync(EventSourcing.Projections.Kafka.Consuming.KafkaProjectionRunner runner, Func<bool> done)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = runner.RunAsync(stop.Token);
        await Eventually.Until(() => Task.FromResult(done() || running.IsCompleted), ok => ok, TimeSpan.FromSeconds(60), "the Kafka projection to receive the events");
        await stop.CancelAsync();
        await running;
    }
}
