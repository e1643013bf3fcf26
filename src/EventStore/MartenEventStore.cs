using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Configuration;
using EventSourcing.EventStore.Deciders;
using EventSourcing.EventStore.Idempotency;
using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Reading;
using EventSourcing.EventStore.Snapshots;
using EventSourcing.EventStore.Storage;
using EventSourcing.EventStore.Validation;
using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EventSourcing.EventStore;

/// <summary>
/// <see cref="IEventStore"/> on Marten. Build it with <see cref="Create"/> (tools, benchmarks, tests) or
/// <c>services.AddEventStore(...)</c>; it owns a background snapshot writer and, when built by
/// <see cref="Create"/>, the Marten <see cref="IDocumentStore"/>.
/// </summary>
public sealed partial class MartenEventStore : IEventStore, IAsyncDisposable
{
    private readonly EventStoreOptions _options;
    private readonly bool _ownsDocumentStore;
    private readonly NpgsqlDataSource _dataSource;
    private readonly ISerializer _serializer;
    private readonly AppendValidator _validator;
    private readonly EventStoreTables _tables;
    private readonly IdempotencyStore _idempotency;
    private readonly SnapshotStore _snapshots;
    private readonly SnapshotWriter _snapshotWriter;
    private readonly EventLogReader _reader;
    private readonly ILogger _logger;
    private readonly BoundedCache<(Guid, string), StoredSnapshot> _snapshotCache;
    private readonly BoundedCache<(string, Guid), (object? State, long Version)> _stateCache;

    public MartenEventStore(IDocumentStore documentStore, EventStoreOptions options, ILoggerFactory? loggerFactory = null)
        : this(documentStore, options, loggerFactory, ownsDocumentStore: false)
    {
    }

    private MartenEventStore(IDocumentStore documentStore, EventStoreOptions options, ILoggerFactory? loggerFactory, bool ownsDocumentStore)
    {
        ArgumentNullException.ThrowIfNull(documentStore);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        DocumentStore = documentStore;
        _options = options;
        _ownsDocumentStore = ownsDocumentStore;
        _serializer = documentStore.Options.Serializer();
        _dataSource = EventStoreDataSource.Create(options.ConnectionString);
        _validator = new AppendValidator(options.Events, options.MaxEventPayloadBytes, _serializer);
        _tables = new EventStoreTables(_dataSource, options.SchemaName);
        _idempotency = new IdempotencyStore(_dataSource, _tables, options.IdempotencyRetention);
        _snapshots = new SnapshotStore(_dataSource, _tables);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("EventSourcing.EventStore.Snapshots");
        _logger = logger;
        _snapshotCache = new BoundedCache<(Guid, string), StoredSnapshot>(options.Snapshots.CacheSize);
        _stateCache = new BoundedCache<(string, Guid), (object? State, long Version)>(options.CommandStateCacheSize);
        _snapshotWriter = new SnapshotWriter(_snapshots, options.Snapshots, logger, written => CacheSnapshot(new StoredSnapshot(
            written.StreamId, written.Aggregate, written.SchemaVersion, written.Version, written.StateJson, DateTimeOffset.UtcNow)));
        _reader = new EventLogReader(documentStore, _dataSource, options);
    }

    /// <summary>Builds the Marten document store from <paramref name="options"/> and an event store that owns it.</summary>
    public static MartenEventStore Create(EventStoreOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var documentStore = new DocumentStore(MartenConfiguration.CreateStoreOptions(options));
        return new MartenEventStore(documentStore, options, loggerFactory, ownsDocumentStore: true);
    }

    /// <summary>The Marten store underneath (for projections, subscriptions and tooling).</summary>
    public IDocumentStore DocumentStore { get; }

    public EventTypeRegistry Registry => _options.Events;

    public EventStoreOptions Options => _options;

    /// <summary>Creates Marten's event tables and this library's tables now instead of on first use.</summary>
    public async Task EnsureSchemaAsync(CancellationToken ct)
    {
        await DocumentStore.Storage.ApplyAllConfiguredChangesToDatabaseAsync().WaitAsync(ct).ConfigureAwait(false);
        await _tables.EnsureCreatedAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Deletes idempotency keys past their retention; returns how many.</summary>
    public Task<int> PurgeExpiredIdempotencyKeysAsync(CancellationToken ct) => _idempotency.PurgeExpiredAsync(ct);

    /// <summary>Looks up a live idempotency key (for diagnostics and tests).</summary>
    public Task<IdempotencyRecord?> FindIdempotencyKeyAsync(string key, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return _idempotency.FindAsync(key, ct);
    }

    /// <summary>Waits (up to <paramref name="timeout"/>) until requested snapshot writes are done.</summary>
    public Task FlushSnapshotsAsync(TimeSpan timeout, CancellationToken ct) => _snapshotWriter.FlushAsync(timeout, ct);

    /// <summary>Snapshot writes done and failed attempts so far (diagnostics).</summary>
    public (long Written, long FailedAttempts, int Pending) SnapshotStatistics =>
        (_snapshotWriter.Written, _snapshotWriter.Failed, _snapshotWriter.Pending);

    public async ValueTask DisposeAsync()
    {
        await _snapshotWriter.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        if (_ownsDocumentStore)
            await DocumentStore.DisposeAsync().ConfigureAwait(false);
    }
}
