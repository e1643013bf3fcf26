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

        marten.AddAsyncDaemon(DaemonMode.Solo);
        services.AddProjections(projections =>
        {
            projections.Options = new ProjectionsOptions { ConnectionString = options.ConnectionString, Schema = options.ReadModelSchema };
            projections.Add<OrderSearchProjection>();
            projections.Add<CustomerOrdersProjection>();
            if (options.ElasticsearchUrl is { } url)
            {
                var elasticsearch = new ElasticsearchOptions { Urls = [url] }.Validate();
                projections.UseSink(sp => new ElasticsearchSink(sp.GetRequiredService<ElasticsearchClient>(), elasticsearch));
            }
        });

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
}
