using Confluent.SchemaRegistry;

namespace EventSourcing.SchemaTools.Registry;

using Compatibility = Confluent.SchemaRegistry.Compatibility;

/// <summary>Options of the PostgreSQL-backed registry; validated when the client is created.</summary>
public sealed record EmbeddedSchemaRegistryOptions
{
    /// <summary>The PostgreSQL schema that holds the registry's tables (created on first use).</summary>
    public string DatabaseSchema { get; init; } = "schema_registry";

    /// <summary>The level used by subjects that have none of their own (Confluent's default is BACKWARD).</summary>
    public Compatibility DefaultCompatibility { get; init; } = Compatibility.Backward;

    /// <summary>How long a subject's latest version is cached (ids and versions are immutable and cached forever).</summary>
    public TimeSpan LatestCacheTtl { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxCachedSchemas { get; init; } = 1000;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DatabaseSchema) || !DatabaseSchema.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw new ArgumentException(
                $"EmbeddedSchemaRegistryOptions.DatabaseSchema '{DatabaseSchema}' must be a PostgreSQL identifier of letters, digits and '_'.");
        if (LatestCacheTtl < TimeSpan.Zero)
            throw new ArgumentException($"EmbeddedSchemaRegistryOptions.LatestCacheTtl must not be negative (got {LatestCacheTtl}).");
        if (MaxCachedSchemas < 1)
            throw new ArgumentException($"EmbeddedSchemaRegistryOptions.MaxCachedSchemas must be at least 1 (got {MaxCachedSchemas}).");
    }
}
