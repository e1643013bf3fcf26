using EventSourcing.EventStore;
using EventSourcing.EventStore.Configuration;
using EventSourcing.Projections.Kafka.Contracts;
using EventSourcing.Projections.Kafka.Options;
using EventSourcing.Projections.Kafka.Publishing;
using EventSourcing.SchemaTools.Registry;
using EventSourcing.TestInfrastructure;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventSourcing.Projections.Tests.Kafka;

/// <summary>A Marten store on the fixture's schema with the Kafka publisher subscribed, and its daemon.</summary>
internal sealed class PublisherHost : IAsyncDisposable
{
    private readonly KafkaEventProducer _producer;
    private IProjectionDaemon? _daemon;

    private PublisherHost(DocumentStore store, KafkaEventProducer producer, KafkaEventPublisher publisher, KafkaPublisherOptions options)
    {
        Store = store;
        _producer = producer;
        Publisher = publisher;
        Options = options;
    }

    public DocumentStore Store { get; }

    public KafkaEventPublisher Publisher { get; }

    public KafkaEventProducer Producer => _producer;

    public KafkaPublisherOptions Options { get; }

    public static KafkaPublisherOptions DefaultOptions(KafkaFixture kafka) => new()
    {
        Kafka = new KafkaClientOptions { BootstrapServers = kafka.BootstrapServers },
        AutoRegisterSchemas = true,
        BatchSize = 500,
    };

    public static async Task<PublisherHost> StartAsync(
        string schema, string connectionString, KafkaPublisherOptions options, PostgresSchemaRegistryClient registry, EventContracts contracts, CancellationToken ct,
        Action<Marten.StoreOptions>? configure = null, Confluent.SchemaRegistry.ISchemaRegistryClient? registryOverride = null)
    {
        var producer = new KafkaEventProducer(options, NullLogger<KafkaEventProducer>.Instance);
        var events = TestContracts.Events();
        var messages = new EventMessageFactory(events, contracts, registryOverride ?? registry, options);
        await messages.VerifySchemasAsync(ct);
        var publisher = new KafkaEventPublisher(producer, messages, options, NullLogger<KafkaEventPublisher>.Instance);
        var eventStore = new EventStoreOptions { ConnectionString = connectionString, SchemaName = schema };
        foreach (var registration in events.Registrations)
            eventStore.Events.Register(registration.ClrType, registration.Name, registration.SchemaVersion);
        eventStore.ConfigureMarten(o => o.Projections.Subscribe(publisher));
        if (configure is not null)
            eventStore.ConfigureMarten(configure);
        var store = new DocumentStore(MartenConfiguration.CreateStoreOptions(eventStore));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var host = new PublisherHost(store, producer, publisher, options);
        host._daemon = await store.BuildProjectionDaemonAsync();
        await host._daemon.StartAllAsync();
        return host;
    }

    public Task<long> CheckpointAsync(CancellationToken ct) =>
        Store.Advanced.ProjectionProgressFor(new ShardName(Options.SubscriptionName, "All", 1), token: ct);

    public async Task<long> HighWaterAsync(CancellationToken ct)
    {
        var stats = await Store.Advanced.FetchEventStoreStatistics(token: ct);
        return stats.EventSequenceNumber;
    }

    public async Task WaitForCheckpointAsync(long sequence, CancellationToken ct) =>
        await Eventually.Until(() => CheckpointAsync(ct), p => p >= sequence, TimeSpan.FromSeconds(120), $"the publisher's checkpoint to reach {sequence}");

    /// <summary>Stops without flushing: the producer is destroyed with whatever it had not delivered.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            _producer.Dispose();
            try
            {
                await _daemon.StopAllAsync();
            }
            catch (ObjectDisposedException)
            {
                // the killed producer was still in use by the page in flight
            }

            _daemon.Dispose();
        }

        await Store.DisposeAsync();
    }
}
