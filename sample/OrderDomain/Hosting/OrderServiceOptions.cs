using System.Text.RegularExpressions;

namespace OrderDomain.Hosting;

/// <summary>
/// The order service's settings (configuration section <c>Orders</c>, e.g. <c>Orders__ConnectionString</c>).
/// Validated at startup; a missing or malformed value fails with a message naming the setting.
/// </summary>
public sealed partial record OrderServiceOptions
{
    public const string Section = "Orders";

    /// <summary>PostgreSQL connection string; falls back to the POSTGRES_CONNECTION environment variable.</summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>Schema of the event log, snapshots and idempotency keys.</summary>
    public string EventSchema { get; init; } = "orders";

    /// <summary>Schema of the PostgreSQL read models.</summary>
    public string ReadModelSchema { get; init; } = "orders_read";

    /// <summary>When set, search is served from Elasticsearch at this URL; otherwise from the PostgreSQL read model.</summary>
    public Uri? ElasticsearchUrl { get; init; }

    /// <summary>
    /// When set, every committed event is published to Kafka (topic <c>order-events</c>, Avro with the
    /// registry's framing); falls back to the KAFKA_BOOTSTRAP_SERVERS environment variable.
    /// </summary>
    public string? KafkaBootstrapServers { get; init; }

    /// <summary>The Confluent Schema Registry; unset = the embedded registry in PostgreSQL. Falls back to SCHEMA_REGISTRY_URL.</summary>
    public Uri? SchemaRegistryUrl { get; init; }

    /// <summary>Let the publisher register missing schemas (development and the demo only; in production CI registers them).</summary>
    public bool AutoRegisterSchemas { get; init; }

    /// <summary>/health/ready fails when a projection is further behind the event log than this many events.</summary>
    public long MaxProjectionLag { get; init; } = 1000;

    /// <summary>Run the projection host (daemon) in this process. Off for a pure API node.</summary>
    public bool RunProjections { get; init; } = true;

    /// <summary>
    /// How the read models are placed when several processes run projections on one database (docs/scaling.md):
    /// <see cref="OrderProjectionMode.HotCold"/> (default), <see cref="OrderProjectionMode.Wolverine"/> or
    /// <see cref="OrderProjectionMode.Solo"/> (exactly one projection process, never several replicas).
    /// </summary>
    public OrderProjectionMode Distribution { get; init; } = OrderProjectionMode.HotCold;

    /// <summary>
    /// Wolverine distribution only: a node whose heartbeat is older than this is taken for dead and its read models are
    /// placed on the others (Wolverine's <c>Durability.StaleNodeTimeout</c>). Heartbeats and assignment checks run at a
    /// fifth of it (at most every 10 s). Keep it well above the longest pause a live node may have (GC, CPU starvation).
    /// </summary>
    public TimeSpan StaleNodeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public OrderServiceOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
            throw new InvalidSettingException($"{Section}:ConnectionString is required (or set POSTGRES_CONNECTION): a PostgreSQL connection string");
        if (!Identifier().IsMatch(EventSchema))
            throw new InvalidSettingException($"{Section}:EventSchema '{EventSchema}' must be a lower-case PostgreSQL identifier");
        if (!Identifier().IsMatch(ReadModelSchema))
            throw new InvalidSettingException($"{Section}:ReadModelSchema '{ReadModelSchema}' must be a lower-case PostgreSQL identifier");
        if (ElasticsearchUrl is { IsAbsoluteUri: false })
            throw new InvalidSettingException($"{Section}:ElasticsearchUrl '{ElasticsearchUrl}' must be an absolute URL");
        if (SchemaRegistryUrl is { IsAbsoluteUri: false })
            throw new InvalidSettingException($"{Section}:SchemaRegistryUrl '{SchemaRegistryUrl}' must be an absolute URL");
        if (!Enum.IsDefined(Distribution))
            throw new InvalidSettingException($"{Section}:Distribution must be one of {string.Join(", ", Enum.GetNames<OrderProjectionMode>())}, was {(int)Distribution}");
        if (StaleNodeTimeout < TimeSpan.FromSeconds(1))
            throw new InvalidSettingException($"{Section}:StaleNodeTimeout must be at least 00:00:01, was {StaleNodeTimeout}");
        if (MaxProjectionLag < 0)
            throw new InvalidSettingException($"{Section}:MaxProjectionLag must be 0 or more, was {MaxProjectionLag}");
        return this;
    }

    public static OrderServiceOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        OrderServiceOptions options;
        try
        {
            options = configuration.GetSection(Section).Get<OrderServiceOptions>() ?? new OrderServiceOptions();
        }
        catch (InvalidOperationException e) when (e is not InvalidSettingException)
        {
            // e.g. Orders__Distribution=Hot: the binder names the key and the value, the distribution's choices are ours to add
            throw new InvalidSettingException($"{e.Message} ({Section}:Distribution is one of {string.Join(", ", Enum.GetNames<OrderProjectionMode>())})", e);
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            options = options with { ConnectionString = configuration["POSTGRES_CONNECTION"] ?? "" };
        if (string.IsNullOrWhiteSpace(options.KafkaBootstrapServers) && configuration["KAFKA_BOOTSTRAP_SERVERS"] is { Length: > 0 } kafka)
            options = options with { KafkaBootstrapServers = kafka };
        if (options.SchemaRegistryUrl is null && configuration["SCHEMA_REGISTRY_URL"] is { Length: > 0 } registry)
            options = options with { SchemaRegistryUrl = AbsoluteUrl("SCHEMA_REGISTRY_URL", registry) };
        if (options.ElasticsearchUrl is null && configuration["ELASTICSEARCH_URL"] is { Length: > 0 } elasticsearch)
            options = options with { ElasticsearchUrl = AbsoluteUrl("ELASTICSEARCH_URL", elasticsearch) };
        return options.Validate();
    }

    private static Uri AbsoluteUrl(string variable, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidSettingException($"{variable} '{value}' must be an absolute URL");

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}

/// <summary>A setting of the order service is missing or malformed; the message names it.</summary>
public sealed class InvalidSettingException : InvalidOperationException
{
    public InvalidSettingException(string message) : base(message) { }

    public InvalidSettingException() { }

    public InvalidSettingException(string message, Exception innerException) : base(message, innerException) { }
}
