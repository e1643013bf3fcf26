using System.Text.Json;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Kafka.Consuming;
using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Sinks.Postgres;
using EventSourcing.TestInfrastructure;
using JasperFx.Events.Projections;

namespace EventSourcing.Projections.Tests.Kafka;

public sealed record OrderSummary(Guid OrderId, string CustomerId, decimal Amount, int Lines, int Quantity, string Status);

public sealed class OrderSummaryProjection : ReadModelProjection<OrderSummary>
{
    public OrderSummaryProjection() : base("order_summary", version: 1)
    {
        Create<OrderPlaced>(e => e.OrderId, e => new OrderSummary(e.OrderId, e.CustomerId, e.Amount, 0, 0, "placed"));
        Project<OrderLineAdded>(e => e.OrderId, (doc, e) => doc with { Lines = doc.Lines + 1, Quantity = doc.Quantity + e.Quantity });
        Project<OrderShipped>(e => e.OrderId, (doc, e) => doc with { Status = "shipped by " + e.Carrier });
    }
}

public sealed class KafkaProjectionParityTests(PostgresFixture postgres, KafkaFixture kafka)
    : KafkaTestBase(postgres, kafka), IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private ProjectionRuntime NewRuntime(string schema) => new(
        new ProjectionsOptions { ConnectionString = Postgres.ConnectionString, Schema = schema },
        new PostgresSink(Postgres.DataSource, new PostgresSinkOptions(schema)),
        new ProjectionStore(Postgres.DataSource, schema),
        new ProjectionHealth(),
        TimeProvider.System);

    [Fact]
    public async Task a_kafka_sourced_projection_builds_the_same_read_model_as_the_event_store_daemon()
    {
        using var registry = NewRegistry();
        var projection = new OrderSummaryProjection();
        var fromStore = NewRuntime(Postgres.NewSchemaName());
        var fromKafka = NewRuntime(Postgres.NewSchemaName());
        var options = PublisherHost.DefaultOptions(Kafka) with { Topics = new Dictionary<string, string> { ["order"] = "orders-parity" } };
        await using var host = await PublisherHost.StartAsync(Postgres.NewSchemaName(), Postgres.ConnectionString, options, registry, TestContracts.Publisher(), Ct,
            marten => marten.Projections.Subscribe(new ReadModelSubscription(projection, fromStore)));

        var orders = await AppendOrdersAsync(host.Store, orders: 100, perOrder: 6, Ct);
        var total = await host.HighWaterAsync(Ct);
        await host.WaitForCheckpointAsync(total, Ct);
        await Eventually.Until(() => host.Store.Advanced.ProjectionProgressFor(new ShardName(projection.Name, "All", 1), token: Ct),
            p => p >= total, TimeSpan.FromSeconds(60), "the event-store daemon's projection to catch up");

        var runner = NewRunner(registry, TestContracts.Publisher(), new KafkaReadModelHandler(projection, fromKafka), "orders-parity");
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var running = runner.RunAsync(stop.Token);
            await Eventually.Until(() => Task.FromResult(runner.Applied >= total || running.IsCompleted), ok => ok, TimeSpan.FromSeconds(60), "the Kafka-sourced projection to apply every event");
            await stop.CancelAsync();
            await running;
        }

        var keys = orders.Select(o => o.ToString("D")).ToList();
        var expected = await fromStore.Sink.LoadLiveAsync(ReadModelTarget.For(projection), keys, Ct);
        var actual = await fromKafka.Sink.LoadLiveAsync(ReadModelTarget.For(projection), keys, Ct);

        Assert.Equal(100, expected.Count);
        Assert.Equal(Render(expected), Render(actual));
        var one = Assert.IsType<OrderSummary>(actual[keys[0]].Document);
        Assert.Equal((4, 1 + 2 + 3 + 4, "shipped by dhl"), (one.Lines, one.Quantity, one.Status));
    }

    private static List<string> Render(IReadOnlyDictionary<string, StoredDocument> documents) =>
        documents.OrderBy(d => d.Key, StringComparer.Ordinal)
            .Select(d => $"{d.Key} v{d.Value.Version} {JsonSerializer.Serialize(d.Value.Document)}")
            .ToList();
}
