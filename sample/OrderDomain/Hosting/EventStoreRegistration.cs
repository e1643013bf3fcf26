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
        if (options.RunProjections)
            options = options with { ConnectionString = ProcessNamed(options.ConnectionString) };
        var marten = services.AddEventStore(store => Configure(store, options));
        if (!options.RunProjections)
            return services;
        var period = ClusterPeriod(options.StaleNodeTimeout);

        void Register(ProjectionsBuilder projections)
        {
            projections.Options = new ProjectionsOptions
            {
                ConnectionString = options.ConnectionString,
                Schema = options.ReadModelSchema,
                Distribution = options.Distribution == OrderProjectionMode.Wolverine ? ProjectionDistribution.Wolverine : ProjectionDistribution.HotCold,
                // a node silent for StaleNodeTimeout is taken for dead in every mode: its sessions (and so its locks) are ended
                HostLease = options.StaleNodeTimeout,
                ProgressCheckInterval = Min(period, TimeSpan.FromSeconds(5)),
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

        // HotCold: a standby tries the locks of a dead or frozen holder at this pace; both: agents handed back start again at it
        if (options.Distribution != OrderProjectionMode.Wolverine)
            services.ConfigureMarten(store => store.Projections.LeadershipPollingTime = (int)Min(period, TimeSpan.FromSeconds(5)).TotalMilliseconds);

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
        var period = ClusterPeriod(staleNodeTimeout);
        durability.Mode = DurabilityMode.Balanced;
        durability.StaleNodeTimeout = staleNodeTimeout;
        durability.HealthCheckPollingTime = period;
        durability.CheckAssignmentPeriod = period;
        durability.FirstHealthCheckExecution = Min(period, TimeSpan.FromSeconds(3));
    }

    /// <summary>Heartbeats, lease renewals, assignment and progress checks: a fifth of the stale-node timeout, at most 10 s.</summary>
    private static TimeSpan ClusterPeriod(TimeSpan staleNodeTimeout) => Min(staleNodeTimeout / 5, TimeSpan.FromSeconds(10));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// The projection host's PostgreSQL sessions carry a name of their own (unless the connection string names them), so a peer
    /// can end them when this process stops renewing its lease: <c>orderdomain/{random}/{process id}/{machine}</c>.
    /// </summary>
    internal static string ProcessNamed(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.ApplicationName))
        {
            var name = $"orderdomain/{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}/{Environment.ProcessId}/{Environment.MachineName}";
            builder.ApplicationName = name.Length > 63 ? name[..63] : name;
        }

        return builder.ConnectionString;
    }
}
