using Confluent.SchemaRegistry;
using EventSourcing.EventStore;
using EventSourcing.EventStore.Naming;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Kafka.Consuming;
using EventSourcing.Projections.Kafka.Options;
using EventSourcing.Projections.Kafka.Publishing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSourcing.Projections.Kafka.Hosting;

public static class KafkaServiceCollectionExtensions
{
    /// <summary>
    /// Publishes every committed event to Kafka from a subscription of Marten's async daemon (call
    /// after <c>AddEventStore(...)</c>; the host chooses the daemon mode with <c>.AddAsyncDaemon(...)</c>).
    /// Registers one idempotent producer for the host's life, the schema registry client (Confluent's
    /// when <see cref="SchemaRegistryOptions.Url"/> is set, else the embedded PostgreSQL registry in the
    /// event store's database) and a startup check that runs before the daemon. Options are validated here.
    /// </summary>
    public static IServiceCollection AddKafkaPublisher(this IServiceCollection services, KafkaPublisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        services.AddSingleton(options);
        services.AddSingleton(sp => new KafkaRegistryStore(NpgsqlDataSource.Create(sp.GetRequiredService<EventStoreOptions>().ConnectionString)));
        services.AddSingleton<ISchemaRegistryClient>(sp => SchemaRegistryClients.Create(options.SchemaRegistry, sp.GetRequiredService<KafkaRegistryStore>().DataSource));
        services.AddSingleton(sp => new EventMessageFactory(sp.GetRequiredService<EventTypeRegistry>(), sp.GetRequiredService<ISchemaRegistryClient>(), options));
        services.AddSingleton(sp => new KafkaEventProducer(options, sp.GetRequiredService<ILogger<KafkaEventProducer>>()));
        services.AddSingleton(sp => new KafkaEventPublisher(sp.GetRequiredService<KafkaEventProducer>(), sp.GetRequiredService<EventMessageFactory>(),
            options, sp.GetRequiredService<ILogger<KafkaEventPublisher>>()));
        // first among the hosted services, so the check runs before Marten's daemon starts publishing
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, KafkaPublisherStartup>());
        services.ConfigureMarten((sp, marten) => marten.Projections.Subscribe(sp.GetRequiredService<KafkaEventPublisher>()));
        return services;
    }

    /// <summary>
    /// Builds <paramref name="projection"/> from Kafka topics instead of the event store (call after
    /// <c>AddProjections(...)</c>, which provides the sink and the runtime). Values are decoded with the
    /// registry's writer schema resolved to <paramref name="contracts"/>, the consumer's own event types;
    /// the registry is Confluent's when <see cref="SchemaRegistryOptions.Url"/> is set, else the embedded one
    /// in the projections' database.
    /// </summary>
    public static IServiceCollection AddKafkaProjection(
        this IServiceCollection services, IReadModelProjection projection, KafkaConsumerOptions options, EventSourcing.Projections.Kafka.Contracts.EventContracts contracts)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(projection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(contracts);
        options.Validate();
        services.AddHostedService(sp =>
        {
            var registry = sp.GetService<ISchemaRegistryClient>()
                ?? SchemaRegistryClients.Create(options.SchemaRegistry, sp.GetRequiredService<ProjectionsDataSource>().DataSource);
            return new KafkaProjectionService(new KafkaProjectionRunner(options, new AvroEventDecoder(registry, contracts),
                new KafkaReadModelHandler(projection, sp.GetRequiredService<ProjectionRuntime>()), sp.GetRequiredService<ILogger<KafkaProjectionRunner>>()));
        });
        return services;
    }
}

/// <summary>The embedded registry's connection pool, disposed with the host.</summary>
public sealed class KafkaRegistryStore(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
