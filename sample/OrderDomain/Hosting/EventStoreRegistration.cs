using EventSourcing.EventStore;
using EventSourcing.EventStore.Configuration;
using EventSourcing.EventStore.Snapshots;
using Elastic.Clients.Elasticsearch;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Kafka.Hosting;
using EventSourcing.Projections.Kafka.Options;
using EventSourcing.Projections.Sinks.Elasticsearch;
using JasperFx.Events.Daemon;
using Marten;
using Wolverine;
using OrderDomain.Customers;
using OrderDomain.Orders;
using OrderDomain.Search;

namespace OrderDomain.Hosting;

/// <summary>The event store with the order events and their upcasters, and the projection host with the sample's read models.</summary>
public static class EventStoreRegistration
{
    public static EventStoreOptions Configure(EventStoreOptions store, OrderServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        store.ConnectionString = options.ConnectionString;
        store.SchemaName = options.EventSchema;
        store.Events.RegisterOrderEvents();
        store.Snapshots.For(OrderAggregate.Name, SnapshotPolicy.Every(20), schemaVersion: OrderAggregate.SnapshotSchemaVersion);
        return store;
    }

    public static IServiceCollection AddOrderEventStore(this IServiceCollection services, OrderServiceOptions options)
    {
        var marten = services.AddEventStore(store => Configure(store, options));
        if (!options.RunProjections)
            return services;

        void Register(ProjectionsBuilder projections)
        {
            projections.Options = new ProjectionsOptions
            {
                ConnectionString = options.ConnectionString,
                Schema = options.ReadModelSchema,
                Distribution = options.Distribution == OrderProjectionMode.Wolverine ? ProjectionDistribution.Wolverine : ProjectionDistribution.HotCold,
            };
            projections.Add<OrderSearchProjection>();
            projections.Add<CustomerOrdersProjection>();
            if (options.ElasticsearchUrl is { } url)
            {
                var elasticsearch = new ElasticsearchOptions { Urls = [url] }.Validate();
                projections.UseSink(sp => new ElasticsearchSink(sp.GetRequiredService<ElasticsearchClient>(), elasticsearch));
            }
        }

        switch (options.Distribution)
        {
            case OrderProjectionMode.Solo:
                marten.AddAsyncDaemon(DaemonMode.Solo);
                services.AddProjections(Register);
                break;
            case OrderProjectionMode.Wolverine:
                marten.AddProjections(Register);
                services.ConfigureWolverine(wolverine => ClusterTiming(wolverine.Durability, options.StaleNodeTimeout));
                break;
            default:
                marten.AddProjections(Register);
                break;
        }

        if (!string.IsNullOrWhiteSpace(options.KafkaBootstrapServers))
        {
            services.AddKafkaPublisher(new KafkaPublisherOptions
            {
                Kafka = new KafkaClientOptions { BootstrapServers = options.KafkaBootstrapServers },
                SchemaRegistry = new SchemaRegistryOptions { Url = options.SchemaRegistryUrl },
                AutoRegisterSchemas = options.AutoRegisterSchemas,
            });
        }

        return services;
    }

    /// <summary>
    /// Wolverine distribution: nodes heartbeat and the leader checks assignments at a fifth of the stale-node timeout (at most
    /// every 10 s, Wolverine's default), so a node silent for <paramref name="staleNodeTimeout"/> loses its read models within
    /// about that timeout plus two checks (docs/scaling.md).
    /// </summary>
    private static void ClusterTiming(DurabilitySettings durability, TimeSpan staleNodeTimeout)
    {
        var period = TimeSpan.FromTicks(Math.Min(staleNodeTimeout.Ticks / 5, TimeSpan.FromSeconds(10).Ticks));
        durability.Mode = DurabilityMode.Balanced;
        durability.StaleNodeTimeout = staleNodeTimeout;
        durability.HealthCheckPollingTime = period;
        durability.CheckAssignmentPeriod = period;
        durability.FirstHealthCheckExecution = TimeSpan.FromTicks(Math.Min(period.Ticks, TimeSpan.FromSeconds(3).Ticks));
    }
}
