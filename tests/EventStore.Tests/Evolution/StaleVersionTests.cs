using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Tests.Evolution.Today;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.EventStore.Upcasting;
using EventSourcing.TestInfrastructure;
using JasperFx.Events.Projections;
using Marten;

namespace EventSourcing.EventStore.Tests.Evolution;

/// <summary>
/// The observed failure: v1 rows of a renamed field, read by a type at v2 with no upcaster. The CLR type
/// column still names the current class (the class was not renamed), which is what let Marten bind them
/// with Quantity = 0. Every read path of the library must reject them instead, naming type, stored
/// version, stream and sequence; with the upcaster, every path reads the right quantity.
/// </summary>
public sealed class StaleVersionTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private readonly string _schema = postgres.NewSchemaName();

    /// <summary>Stores two v1 events the way release 1 did, then points their CLR type column at today's class (same class name, as in the report).</summary>
    private async Task<(Guid Stream, long FirstSequence)> StoreReleaseOneAsync()
    {
        var id = Guid.NewGuid();
        await using (var release1 = TestStores.Create(postgres, o => o.Events.Register<Release1.StockReceived>(), _schema))
        {
            await release1.AppendAsync(id, [new Release1.StockReceived("TEA-1", 7), new Release1.StockReceived("TEA-1", 5)], ExpectedVersion.NoStream, null, CancellationToken.None);
        }

        await using var sameClass = postgres.DataSource.CreateCommand(
            $"update {_schema}.mt_events set mt_dotnet_type = replace(mt_dotnet_type, '.Release1.', '.Today.') where stream_id = $1");
        sameClass.Parameters.AddWithValue(id);
        await sameClass.ExecuteNonQueryAsync();
        await using var first = postgres.DataSource.CreateCommand($"select min(seq_id) from {_schema}.mt_events where stream_id = $1");
        first.Parameters.AddWithValue(id);
        return (id, (long)(await first.ExecuteScalarAsync())!);
    }

    private MartenEventStore Without(bool tolerant = false) => TestStores.Create(postgres, o =>
    {
        o.Events.Register<StockReceived>();
        o.TolerantReader = tolerant;
    }, _schema);

    private static void AssertNames(StaleEventVersionException error, Guid stream, long version, long sequence)
    {
        Assert.Equal(("inventory.stock_received", 1, 2, typeof(StockReceived)), (error.EventName, error.StoredVersion, error.CurrentVersion, error.CurrentType));
        Assert.Equal((stream, version, sequence), (error.StreamId, error.StreamVersion, error.Sequence));
        Assert.Contains($"stored event 'inventory.stock_received' v1 (stream {stream}, version {version}, sequence {sequence})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task loading_an_aggregate_rejects_an_old_version_without_an_upcaster()
    {
        var (id, sequence) = await StoreReleaseOneAsync();
        await using var store = Without();

        var error = await Assert.ThrowsAsync<StaleEventVersionException>(() => store.LoadAsync(Inventory.Decider, id, CancellationToken.None));

        AssertNames(error, id, 1, sequence);
    }

    [Fact]
    public async Task time_travel_rejects_it_too()
    {
        var (id, sequence) = await StoreReleaseOneAsync();
        await using var store = Without();

        AssertNames(await Assert.ThrowsAsync<StaleEventVersionException>(() => store.LoadAtVersionAsync(Inventory.Decider, id, 2, CancellationToken.None)), id, 1, sequence);
        AssertNames(await Assert.ThrowsAsync<StaleEventVersionException>(() => store.LoadAtTimeAsync(Inventory.Decider, id, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None)), id, 1, sequence);
        AssertNames(await Assert.ThrowsAsync<StaleEventVersionException>(() => store.ReadStreamAsync(id, 2, CancellationToken.None)), id, 2, sequence + 1);
    }

    [Fact]
    public async Task the_global_log_rejects_it_even_with_the_tolerant_reader()
    {
        var (id, sequence) = await StoreReleaseOneAsync();
        await using var strict = Without();
        await using var tolerant = Without(tolerant: true);

        AssertNames(await Assert.ThrowsAsync<StaleEventVersionException>(() => strict.ReadAllAsync(sequence - 1, 10, CancellationToken.None)), id, 1, sequence);
        AssertNames(await Assert.ThrowsAsync<StaleEventVersionException>(() => tolerant.ReadAllAsync(sequence - 1, 10, CancellationToken.None)), id, 1, sequence);
        AssertNames(await Assert.ThrowsAsync<StaleEventVersionException>(() => tolerant.LoadAsync(Inventory.Decider, id, CancellationToken.None)), id, 1, sequence);
    }

    [Fact]
    public async Task a_marten_read_or_projection_rebuild_fails_on_it_instead_of_binding_defaults()
    {
        var (id, sequence) = await StoreReleaseOneAsync();
        await using var store = TestStores.Create(postgres, o =>
        {
            o.Events.Register<StockReceived>();
            o.ConfigureMarten(m => m.Projections.Add(new Upcasting.SeenEventsProjection(o.Events), ProjectionLifecycle.Async, "seen-stock"));
        }, _schema);
        await store.EnsureSchemaAsync(CancellationToken.None);

        await using (var session = store.DocumentStore.QuerySession())
        {
            var fetch = await Assert.ThrowsAnyAsync<Exception>(() => session.Events.FetchStreamAsync(id));
            AssertNames(StaleEvents.Find(fetch)!, id, 1, sequence);
        }

        using var daemon = await store.DocumentStore.BuildProjectionDaemonAsync();
        var rebuild = await Assert.ThrowsAnyAsync<Exception>(() => daemon.RebuildProjectionAsync("seen-stock", CancellationToken.None));
        Assert.NotNull(StaleEvents.Find(rebuild));
        await using var check = store.DocumentStore.QuerySession();
        Assert.Empty(await check.Query<Upcasting.SeenEvent>().Where(s => s.StreamId == id).ToListAsync());
    }

    [Fact]
    public async Task with_the_upcaster_every_path_reads_the_stored_quantity()
    {
        var (id, sequence) = await StoreReleaseOneAsync();
        await using var store = TestStores.Create(postgres, o => Inventory.WithUpcaster(o.Events), _schema);

        Assert.Equal(12, (await store.LoadAsync(Inventory.Decider, id, CancellationToken.None)).State.OnHand["TEA-1"]);
        Assert.Equal(7, (await store.LoadAtVersionAsync(Inventory.Decider, id, 1, CancellationToken.None)).State.OnHand["TEA-1"]);
        Assert.Equal(12, (await store.LoadAtTimeAsync(Inventory.Decider, id, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None)).State.OnHand["TEA-1"]);
        var all = await store.ReadAllAsync(sequence - 1, 10, CancellationToken.None);
        Assert.Equal([new StockReceived("TEA-1", 7), new StockReceived("TEA-1", 5)], all.Where(e => e.StreamId == id).Select(e => e.Data));
    }

    [Fact]
    public void the_registry_lists_the_guarded_older_versions()
    {
        var without = TestStores.Options(postgres, _schema);
        without.Events.Register<StockReceived>();
        var with = TestStores.Options(postgres, _schema);
        Inventory.WithUpcaster(with.Events);

        Assert.Equal(["inventory.stock_received"], without.Events.GuardedStoredNames);
        Assert.Empty(with.Events.GuardedStoredNames);
    }
}
