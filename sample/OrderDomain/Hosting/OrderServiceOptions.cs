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

    /// <summary>/health/ready fails when a projection is further behind the event log than this many events.</summary>
    public long MaxProjectionLag { get; init; } = 1000;

    /// <summary>Run the projection host (daemon) in this process. Off for a pure API node.</summary>
    public bool RunProjections { get; init; } = true;

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
        if (MaxProjectionLag < 0)
            throw new InvalidSettingException($"{Section}:MaxProjectionLag must be 0 or more, was {MaxProjectionLag}");
        return this;
    }

    public static OrderServiceOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(Section).Get<OrderServiceOptions>() ?? new OrderServiceOptions();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            options = options with { ConnectionString = configuration["POSTGRES_CONNECTION"] ?? "" };
        return options.Validate();
    }

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
