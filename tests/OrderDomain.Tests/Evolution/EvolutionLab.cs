using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry.Serdes;
using EventSourcing.EventStore;
using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Configuration;
using EventSourcing.EventStore.Deciders;
using EventSourcing.Projections.DeadLetters;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Kafka.AvroMapping;
using EventSourcing.Projections.Kafka.Options;
using EventSourcing.Projections.Kafka.Publishing;
using EventSourcing.Projections.Rebuild;
using EventSourcing.SchemaTools.Catalog;
using EventSourcing.SchemaTools.Discovery;
using EventSourcing.SchemaTools.Registry;
using EventSourcing.SchemaTools.Sampling;
using EventSourcing.TestInfrastructure;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventSourcing.OrderDomain.Tests.Evolution;

/// <summary>
/// One evolution on its own event schema: release 1's events stored there (with the CLR type column naming
/// today's class, as when the class keeps its name), and each read path of the libraries run over them with
/// today's types and upcasters. Each path returns the ledger it produced, or throws what the path threw.
/// </summary>
internal sealed class EvolutionLab(PostgresFixture postgres, Evolution evolution)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public string Schema { get; } = postgres.NewSchemaName();

    public Guid Stream { get; } = Guid.NewGuid();

    public long FirstSequence { get; private set; }

    public EventStoreOptions Options()
    {
        var options = new EventStoreOptions { ConnectionString = postgres.ConnectionString, SchemaName = Schema };
        evolution.Configure(options.Events);
        return options;
    }

    public async Task StoreReleaseOneAsync()
    {
        var release1 = new EventStoreOptions { ConnectionString = postgres.ConnectionString, SchemaName = Schema };
        release1.Events.Register<Inventory.Release1.StockReceived>().Register<Inventory.Release1.StockMoved>();
        await using (var store = MartenEventStore.Create(release1))
            await store.AppendAsync(Stream, Evolution.ReleaseOne, ExpectedVersion.NoStream, null, CancellationToken.None);
        await using var sameClass = postgres.DataSource.CreateCommand(
            $"update {Schema}.mt_events set mt_dotnet_type = replace(mt_dotnet_type, '.Inventory.Release1.', '.Inventory.{evolution.Namespace}.')");
        await sameClass.ExecuteNonQueryAsync();
        await using var first = postgres.DataSource.CreateCommand($"select min(seq_id) from {Schema}.mt_events");
        FirstSequence = (long)(await first.ExecuteScalarAsync())!;
    }

    private Decider<IReadOnlyList<string>, object> Ledger => new("ledger", [], (_, _) => [], (lines, e) => [.. lines, .. evolution.Describe(e)]);

    public async Task<IReadOnlyList<string>> LoadAsync()
    {
        await using var store = MartenEventStore.Create(Options());
        return (await store.LoadAsync(Ledger, Stream, CancellationToken.None)).State;
    }

    /// <summary>Both forms of time travel must agree: as of the last version, and as of a time after the last event.</summary>
    public async Task<IReadOnlyList<string>> TimeTravelAsync()
    {
        await using var store = MartenEventStore.Create(Options());
        var atVersion = (await store.LoadAtVersionAsync(Ledger, Stream, Evolution.ReleaseOne.Count, CancellationToken.None)).State;
        var atTime = (await store.LoadAtTimeAsync(Ledger, Stream, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None)).State;
        Assert.Equal(atVersion, atTime);
        return atVersion;
    }

    public async Task<IReadOnlyList<string>> ReadAllAsync()
    {
        await using var store = MartenEventStore.Create(Options());
        var all = await store.ReadAllAsync(0, 1000, CancellationToken.None);
        return all.Where(e => e.StreamId == Stream).SelectMany(e => evolution.Describe(e.Data)).ToList();
    }

    private IHost BuildHost(LedgerProjection projection)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddMarten(MartenConfiguration.CreateStoreOptions(Options()))
            .ApplyAllDatabaseChangesOnStartup()
            .AddProjections(p =>
            {
                p.Options = new ProjectionsOptions
                {
                    ConnectionString = postgres.ConnectionString,
                    Schema = Schema,
                    BatchSize = 100,
                    RetryInitialDelay = TimeSpan.FromMilliseconds(20),
                    RetryMaxDelay = TimeSpan.FromMilliseconds(200),
                    PausePollInterval = TimeSpan.FromMilliseconds(50),
                };
                p.Add(projection);
            });
        return builder.Build();
    }

    private LedgerProjection Projection(string name) => new(name, evolution, Options().Events.Registrations.Select(r => r.ClrType));

    private async Task<IReadOnlyList<string>?> ReadLedgerAsync(string relation)
    {
        await using var command = postgres.DataSource.CreateCommand($"select data::text from {Schema}.{relation} where key = $1");
        command.Parameters.AddWithValue(Stream.ToString("D"));
        string? json;
        try
        {
            json = await command.ExecuteScalarAsync() as string;
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }

        return json is null ? null : System.Text.Json.JsonSerializer.Deserialize<Ledger>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!.Lines;
    }

    /// <summary>The live daemon: the ledger once the projection caught up, or the error the daemon stopped the shard with.</summary>
    public async Task<IReadOnlyList<string>> DaemonAsync()
    {
        using var host = BuildHost(Projection("ledger_live"));
        var failures = new ShardFailures();
        await host.StartAsync();
        try
        {
            var daemon = host.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
            using var subscription = daemon.Tracker.Subscribe(failures);
            if (evolution.Expected is not { } expected)
            {
                // Wrong evolutions: the shard must stop with the error (the read model must not move on without the event).
                var failure = await Eventually.Until(() => Task.FromResult(failures.First), f => f is not null, Timeout, "the daemon's shard failure");
                Assert.Null(await ReadLedgerAsync("rm_ledger_live"));
                throw failure!;
            }

            IReadOnlyList<string>? ledger = null;
            await Eventually.Until(async () =>
                {
                    if (failures.First is { } failure)
                        throw failure;
                    ledger = await ReadLedgerAsync("rm_ledger_live");
                    return ledger;
                },
                l => l is not null && l.Count >= expected.Count, Timeout, "the live read model, or a failure of the daemon");
            return ledger!;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>
    /// A rebuild into a new version (read from that version's table). The daemon runs, as a rebuild needs it: the pass
    /// reads up to the daemon's high-water mark.
    /// </summary>
    public async Task<IReadOnlyList<string>> RebuildAsync()
    {
        using var host = BuildHost(Projection("ledger_rebuilt"));
        await host.StartAsync();
        try
        {
            var rebuilt = await host.Services.GetRequiredService<RebuildService>().RebuildAsync(["ledger_rebuilt"], null, CancellationToken.None);
            return await ReadLedgerAsync($"rm_ledger_rebuilt_v{rebuilt.Single().Version}") ?? [];
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>
    /// The stream's first event is dead-lettered (the projection fails on it), the projection is fixed, and
    /// the dead letter is retried: the retry reads the event again through today's types. Where the daemon
    /// cannot even read the event, its dead letter is written as an older host would have written it.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeadLetterReplayAsync()
    {
        var projection = Projection("ledger_letters");
        using var host = BuildHost(projection);
        var letters = host.Services.GetRequiredService<DeadLetterService>();
        await letters.ListAsync(null, CancellationToken.None);
        if (evolution.Expected is null)
        {
            await using var insert = postgres.DataSource.CreateCommand(
                $"insert into {Schema}.projection_dead_letters (projection, sequence, event_id, stream_key, event_type, error, failed_at) " +
                "select 'ledger_letters', seq_id, id, stream_id::text, type, 'failed in an older release', now() from " + Schema + ".mt_events where seq_id = $1");
            insert.Parameters.AddWithValue(FirstSequence);
            await insert.ExecuteNonQueryAsync();
        }
        else
        {
            var first = true;
            projection.Poisoned = _ => Interlocked.Exchange(ref first, false);
            await host.StartAsync();
            try
            {
                await Eventually.Until(() => letters.ListAsync("ledger_letters", CancellationToken.None), l => l.Count == 1, Timeout, "the dead letter");
                await Eventually.Until(() => ReadLedgerAsync("rm_ledger_letters"), l => l is not null && l.Count == evolution.Expected.Count - 1, Timeout, "the rest of the stream");
            }
            finally
            {
                await host.StopAsync();
            }

            projection.Poisoned = _ => false;
        }

        var retried = await letters.RetryAsync("ledger_letters", null, CancellationToken.None);
        Assert.Equal((1, 0), (retried.Succeeded, retried.Failed.Count));
        return await ReadLedgerAsync("rm_ledger_letters") ?? [];
    }

    /// <summary>
    /// The Kafka publisher's encoding of the events Marten's daemon hands it (the stored JSON read through
    /// today's types, transcoded to Avro), decoded again with Confluent's deserializer into today's types.
    /// </summary>
    public async Task<IReadOnlyList<string>> KafkaAsync()
    {
        var options = Options();
        using var registry = new PostgresSchemaRegistryClient(postgres.DataSource,
            new EmbeddedSchemaRegistryOptions { DatabaseSchema = postgres.NewSchemaName() }, SchemaToolsCompatibilityGate.Instance);
        var factory = new EventMessageFactory(options.Events, registry, new KafkaPublisherOptions
        {
            AutoRegisterSchemas = true,
            Kafka = new KafkaClientOptions { BootstrapServers = "127.0.0.1:9" },
        });
        await using var store = new DocumentStore(MartenConfiguration.CreateStoreOptions(options));
        await using var session = store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().Where(e => e.StreamId == Stream).OrderBy(e => e.Sequence).ToListAsync();
        var deserializer = new AvroDeserializer<GenericRecord>(registry);
        var lines = new List<string>();
        foreach (var e in events)
        {
            foreach (var message in await factory.CreateAsync(e, CancellationToken.None))
            {
                var record = await deserializer.DeserializeAsync(message.Message.Value, isNull: false, new SerializationContext(MessageComponentType.Value, message.Topic, message.Message.Headers));
                var type = options.Events.Find(record.Schema.Fullname)?.ClrType ?? options.Events.Registrations.Single(r => SchemaTools.Generation.AvroNaming.FullName(r.Name) == record.Schema.Fullname).ClrType;
                lines.AddRange(evolution.Describe(AvroValueReader.FromRecord(record, type)));
            }
        }

        return lines;
    }

    /// <summary><c>schema-tools check --sample-events</c> over the store: its findings.</summary>
    public async Task<IReadOnlyList<CheckFinding>> SampleAsync()
    {
        var options = Options();
        var source = new EventTypeSource(
            options.Events.Registrations.Select(r => new SchemaTools.Generation.EventType(r.ClrType, r.Name, r.SchemaVersion)).ToList(),
            options.Events, o => evolution.Configure(o.Events), evolution.Name);
        return await StoredEventSampler.RunAsync(postgres.ConnectionString, Schema, source, perType: 20, CancellationToken.None);
    }

    /// <summary>Remembers the first error a daemon shard reports.</summary>
    private sealed class ShardFailures : IObserver<ShardState>
    {
        private Exception? _first;

        public Exception? First => Volatile.Read(ref _first);

        public void OnCompleted()
        {
        }

        public void OnError(Exception error) => Interlocked.CompareExchange(ref _first, error, null);

        public void OnNext(ShardState value)
        {
            if (value.Exception is { } error)
                Interlocked.CompareExchange(ref _first, error, null);
        }
    }
}
