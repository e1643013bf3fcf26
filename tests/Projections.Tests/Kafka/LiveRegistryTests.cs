using Confluent.SchemaRegistry;
using EventSourcing.Projections.Kafka.Hosting;
using EventSourcing.Projections.Kafka.Options;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.Projections.Tests.Kafka;

/// <summary>The publish-and-consume path against a live Confluent Schema Registry (SCHEMA_REGISTRY_URL, e.g. after 'docker compose up -d').</summary>
public sealed class LiveRegistryTests(PostgresFixture postgres, KafkaFixture kafka)
    : KafkaTestBase(postgres, kafka), IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [SkippableFact]
    public async Task events_published_through_confluents_registry_client_are_read_back_with_a_v2_reader()
    {
        var url = LiveServices.RequireSchemaRegistry();
        using var registry = SchemaRegistryClients.Create(new SchemaRegistryOptions { Url = url }, Postgres.DataSource);
        Assert.IsType<CachedSchemaRegistryClient>(registry);
        var topic = "live-orders-" + Guid.NewGuid().ToString("N")[..6];
        var options = PublisherHost.DefaultOptions(Kafka) with { Topics = new Dictionary<string, string> { ["order"] = topic } };
        var embedded = NewRegistry();
        await using var host = await PublisherHost.StartAsync(Postgres.NewSchemaName(), Postgres.ConnectionString, options, embedded, TestContracts.Publisher(), Ct,
            registryOverride: registry);
        await AppendOrdersAsync(host.Store, orders: 3, perOrder: 3, Ct);
        await host.WaitForCheckpointAsync(await host.HighWaterAsync(Ct), Ct);

        var handler = new RecordingHandler();
        var runner = new EventSourcing.Projections.Kafka.Consuming.KafkaProjectionRunner(
            new KafkaConsumerOptions { Kafka = new KafkaClientOptions { BootstrapServers = Kafka.BootstrapServers }, GroupId = "live-" + topic, Topics = [topic] },
            new EventSourcing.Projections.Kafka.Consuming.AvroEventDecoder(registry, TestContracts.ConsumerWithShippedV2()), handler,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<EventSourcing.Projections.Kafka.Consuming.KafkaProjectionRunner>.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = runner.RunAsync(stop.Token);
        await Eventually.Until(() => Task.FromResult(handler.Count >= 9 || running.IsCompleted), ok => ok, TimeSpan.FromSeconds(60), "9 events through the live registry");
        await stop.CancelAsync();
        await running;

        Assert.Equal(9, handler.Count);
        Assert.All(handler.Events.Select(e => e.Data).OfType<OrderShippedV2>(), s => Assert.Equal("none", s.TrackingUrl));
    }
}
