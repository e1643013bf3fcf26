using Confluent.SchemaRegistry;
using EventSourcing.Projections.Kafka.Options;
using EventSourcing.SchemaTools.Registry;
using Npgsql;

namespace EventSourcing.Projections.Kafka.Hosting;

/// <summary>Confluent's <see cref="CachedSchemaRegistryClient"/> when a registry URL is set; otherwise the embedded PostgreSQL registry.</summary>
public static class SchemaRegistryClients
{
    public static ISchemaRegistryClient Create(SchemaRegistryOptions options, NpgsqlDataSource embeddedStore)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(embeddedStore);
        options.Validate("SchemaRegistry");
        return options.Url is not null
            ? new CachedSchemaRegistryClient(options.ToConfluentConfig())
            : new PostgresSchemaRegistryClient(embeddedStore, new EmbeddedSchemaRegistryOptions { DatabaseSchema = options.EmbeddedDatabaseSchema },
                SchemaToolsCompatibilityGate.Instance);
    }
}
