using Confluent.SchemaRegistry;
using EventSourcing.EventStore.Configuration;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Kafka.Hosting;
using EventSourcing.Projections.Kafka.Options;
using EventSourcing.SchemaTools.Registry;
using EventSourcing.TestInfrastructure;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Projections.Tests.Kafka;

public sealed class PublisherHostingTests(PostgresFixture postgres, KafkaFixture kafka)
    : KafkaTestBase(postgres, kafka), IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private IHost BuildHost(string registrySchema, string topic) =>
        BuildHost(Postgres.NewSchemaName(), registrySchema, topic);

    private IHost BuildHost(string storeSchema, string registrySchema, string topic)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEventStore(o =>
        {
            o.ConnectionString = Postgres.ConnectionString;
            o.SchemaName = storeSchema;
            o.Events.Register<OrderPlaced>().Register<OrderLineAdded>().Register<OrderShipped>();
        }).AddAsyncDaemon(DaemonMode.Solo);
        builder.Services.AddKafkaPublisher(new KafkaPublisherOptions
        {
            Kafka = new KafkaClientOptions { BootstrapServers = Kafka.BootstrapServers },
            SchemaRegistry = new SchemaRegistryOptions { EmbeddedDatabaseSchema = registrySchema },
            AutoRegisterSchemas = false,
            Topics = new Dictionary<string, string> { ["order"] = topic },
        });
        return builder.Build();
    }

    [Fact]
    public async Task a_host_in_production_mode_refuses_to_start_when_a_subject_is_missing_and_publishes_once_they_are_registered()
    {
        var registrySchema = Postgres.NewSchemaName();
        using (var refused = BuildHost(registrySchema, "orders-hosted"))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => refused.StartAsync(Ct));
            Assert.Contains("the subject 'order.line_added' is not registered", error.Message, StringComparison.Ordinal);
        }

        // what `schema-tools register` does in CI
        using var registry = NewRegistry(registrySchema);
        foreach (var contract in TestContracts.Publisher().All)
            await registry.RegisterSchemaAsync(contract.Subject, new Schema(contract.Schema.ToString(), SchemaType.Avro));

        using var host = BuildHost(registrySchema, "orders-hosted");
        await host.StartAsync(Ct);
        try
        {
            await AppendOrdersAsync(host.Services.GetRequiredService<IDocumentStore>(), orders: 10, perOrder: 3, Ct);
            var handler = new RecordingHandler();
            var runner = NewRunner(registry, TestContracts.Publisher(), handler, "orders-hosted");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var running = runner.RunAsync(stop.Token);
            await Eventually.Until(() => Task.FromResult(handler.Count >= 30 || running.IsCompleted), ok => ok, TimeSpan.FromSeconds(60), "30 events published by the hosted publisher");
            await stop.CancelAsync();
            await running;
            Assert.Equal(30, handler.Count);
        }
        finally
        {
            await host.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task a_consumer_host_builds_a_read_model_from_kafka_with_add_kafka_projection()
    {
        var registrySchema = Postgres.NewSchemaName();
        var publisherBuilder = Host.CreateApplicationBuilder();
        publisherBuilder.Services.AddEventStore(o =>
        {
            o.ConnectionString = Postgres.ConnectionString;
            o.SchemaName = Postgres.NewSchemaName();
            o.Events.Register<OrderPlaced>().Register<OrderLineAdded>().Register<OrderShipped>();
        }).AddAsyncDaemon(DaemonMode.Solo);
        publisherBuilder.Services.AddKafkaPublisher(new KafkaPublisherOptions
        {
            Kafka = new KafkaClientOptions { BootstrapServers = Kafka.BootstrapServers },
            SchemaRegistry = new SchemaRegistryOptions { EmbeddedDatabaseSchema = registrySchema },
            AutoRegisterSchemas = true,
            Topics = new Dictionary<string, string> { ["order"] = "orders-consumer-host" },
        });

        var projectionsSchema = Postgres.NewSchemaName();
        var consumerBuilder = Host.CreateApplicationBuilder();
        consumerBuilder.Services.AddProjections(p => p.Options = new ProjectionsOptions { ConnectionString = Postgres.ConnectionString, Schema = projectionsSchema });
        consumerBuilder.Services.AddKafkaProjection(new OrderSummaryProjection(), new KafkaConsumerOptions
        {
            Kafka = new KafkaClientOptions { BootstrapServers = Kafka.BootstrapServers },
            SchemaRegistry = new SchemaRegistryOptions { EmbeddedDatabaseSchema = registrySchema },
            GroupId = "order-summary",
            Topics = ["orders-consumer-host"],
        }, TestContracts.Publisher());

        using var publisher = publisherBuilder.Build();
        using var consumer = consumerBuilder.Build();
        await publisher.StartAsync(Ct);
        await consumer.StartAsync(Ct);
        try
        {
            var orders = await AppendOrdersAsync(publisher.Services.GetRequiredService<IDocumentStore>(), orders: 10, perOrder: 3, Ct);
            var sink = consumer.Services.GetRequiredService<EventSourcing.Projections.Sinks.IReadModelSink>();
            var keys = orders.Select(o => o.ToString("D")).ToList();
            var target = EventSourcing.Projections.Sinks.ReadModelTarget.For(new OrderSummaryProjection());
            var documents = await Eventually.Until(async () =>
                {
                    var live = await sink.LiveVersionAsync("order_summary", Ct);
                    return live is null ? new Dictionary<string, EventSourcing.Projections.Sinks.StoredDocument>() : await sink.LoadLiveAsync(target, keys, Ct);
                }, d => d.Count == 10 && d.Values.All(v => ((OrderSummary)v.Document!).Status == "shipped by dhl"),
                TimeSpan.FromSeconds(60), "10 shipped orders in the Kafka-sourced read model");
            Assert.Equal(10, documents.Count);
        }
        finally
        {
            await consumer.StopAsync(Ct);
            await publisher.StopAsync(Ct);
        }
    }
}
