using System.Text.RegularExpressions;
using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Snapshots;
using Marten;

namespace EventSourcing.EventStore;

/// <summary>
/// Everything the event store needs, validated at startup by <see cref="Validate"/>. Marten's
/// <see cref="StoreOptions"/> are derived from these in one place
/// (<see cref="Configuration.MartenConfiguration"/>); other parts add to them with <see cref="ConfigureMarten"/>.
/// </summary>
public sealed class EventStoreOptions
{
    private readonly List<Action<StoreOptions>> _martenConfigurations = [];

    /// <summary>PostgreSQL connection string (required).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Database schema for the event log, snapshots and idempotency keys.</summary>
    public string SchemaName { get; set; } = "eventstore";

    /// <summary>Event names, versions and upcasters.</summary>
    public EventTypeRegistry Events { get; } = new();

    /// <summary>Snapshot policy and schema version per aggregate.</summary>
    public SnapshotOptions Snapshots { get; } = new();

    /// <summary>How long an idempotency key is remembered.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Largest serialized event accepted by an append, in bytes (0 = no limit).</summary>
    public int MaxEventPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Off by default: a stored event whose type no registration or upcaster knows is an error. On: such
    /// events are skipped by this library's readers and by Marten's daemon (Projections error options).
    /// </summary>
    public bool TolerantReader { get; set; }

    /// <summary>How often <see cref="IEventStore.HandleAsync{TState,TCommand}"/> retries after a conflict.</summary>
    public int MaxCommandRetries { get; set; } = 3;

    /// <summary>
    /// How many aggregate states <see cref="IEventStore.HandleAsync{TState,TCommand}"/> keeps in memory after
    /// a command (0 = off). A cached state is decided on directly and appended with its version as the
    /// expected version, saving the load round trip; if another writer moved the stream on, the append
    /// conflicts and the command is re-run on a fresh load (this retry does not count against
    /// <see cref="MaxCommandRetries"/>). Requires immutable states (records), as deciders should have.
    /// </summary>
    public int CommandStateCacheSize { get; set; } = 10_000;

    /// <summary>Let Marten create and update its tables on first use (tests, development).</summary>
    public bool AutoCreateSchema { get; set; } = true;

    /// <summary>Adds configuration to the same Marten <see cref="StoreOptions"/> (projections, subscriptions, ...).</summary>
    public EventStoreOptions ConfigureMarten(Action<StoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _martenConfigurations.Add(configure);
        return this;
    }

    internal IReadOnlyList<Action<StoreOptions>> MartenConfigurations => _martenConfigurations;

    /// <summary>Throws with a message naming the setting when an option is missing or out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
            throw new InvalidOperationException("EventStoreOptions.ConnectionString is required (a PostgreSQL connection string)");
        if (string.IsNullOrWhiteSpace(SchemaName) || !Regex.IsMatch(SchemaName, "^[a-z_][a-z0-9_]{0,62}$"))
            throw new InvalidOperationException($"EventStoreOptions.SchemaName '{SchemaName}' must be a lower-case PostgreSQL identifier ([a-z_][a-z0-9_]*)");
        if (IdempotencyRetention <= TimeSpan.Zero)
            throw new InvalidOperationException($"EventStoreOptions.IdempotencyRetention must be positive, was {IdempotencyRetention}");
        if (MaxEventPayloadBytes < 0)
            throw new InvalidOperationException($"EventStoreOptions.MaxEventPayloadBytes must be 0 (no limit) or positive, was {MaxEventPayloadBytes}");
        if (CommandStateCacheSize < 0)
            throw new InvalidOperationException($"EventStoreOptions.CommandStateCacheSize must be 0 (off) or positive, was {CommandStateCacheSize}");
        if (Snapshots.CacheSize < 0)
            throw new InvalidOperationException($"EventStoreOptions.Snapshots.CacheSize must be 0 (off) or positive, was {Snapshots.CacheSize}");
        if (MaxCommandRetries is < 0 or > 100)
            throw new InvalidOperationException($"EventStoreOptions.MaxCommandRetries must be between 0 and 100, was {MaxCommandRetries}");
        new Upcasting.UpcastChain(Events).Validate();
    }
}
