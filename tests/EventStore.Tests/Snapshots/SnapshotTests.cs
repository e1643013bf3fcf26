using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Snapshots;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.TestInfrastructure;
using Npgsql;

namespace EventSourcing.EventStore.Tests.Snapshots;

public sealed class SnapshotTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static async Task<Guid> AppendLongStreamAsync(MartenEventStore store, int events)
    {
        var id = Guid.NewGuid();
        await store.AppendAsync(id, [new CounterOpened(id, "long")], ExpectedVersion.NoStream, null, CancellationToken.None);
        var version = 1L;
        for (var done = 1; done < events; done += 1000)
        {
            var batch = Enumerable.Range(done, Math.Min(1000, events - done)).Select(i => (object)new CounterIncremented(id, i)).ToArray();
            var result = await store.AppendAsync(id, batch, ExpectedVersion.Exact(version), null, CancellationToken.None);
            version = result.LastVersion;
        }

        return id;
    }

    private static Task WaitForSnapshotAsync(MartenEventStore store, Guid id, long version, int schemaVersion) =>
        Eventually.Until(
            async () => await store.ReadSnapshotAsync("counter", id, CancellationToken.None),
            s => s is not null && s.Version == version && s.SchemaVersion == schemaVersion,
            Deadline, $"snapshot v{version} (schema {schemaVersion}) of {id}");

    [Fact]
    public async Task a_ten_thousand_event_stream_loads_from_its_snapshot_reading_only_the_events_after_it()
    {
        var schema = postgres.NewSchemaName();
        Guid id;
        CounterState full;
        await using (var store = TestStores.Create(postgres, o => o.Snapshots.For("counter", SnapshotPolicy.Every(1000)), schema))
        {
            id = await AppendLongStreamAsync(store, 10_000);

            var first = await store.LoadAsync(Counter.Decider, id, CancellationToken.None);
            Assert.Equal(10_000, first.EventsRead);
            Assert.Null(first.SnapshotVersion);
            await WaitForSnapshotAsync(store, id, 10_000, schemaVersion: 1);

            await store.AppendAsync(id, Enumerable.Range(0, 7).Select(i => (object)new CounterIncremented(id, 1)).ToArray(), ExpectedVersion.Exact(10_000), null, CancellationToken.None);
            var loaded = await store.LoadAsync(Counter.Decider, id, CancellationToken.None);

            Assert.Equal(7, loaded.EventsRead);
            Assert.Equal(10_000, loaded.SnapshotVersion);
            Assert.Equal(10_007, loaded.Version);
            full = Counter.Decider.Fold(Counter.Decider.Initial, (await store.ReadStreamAsync(id, 0, CancellationToken.None)).Select(e => e.Data));
            Assert.Equal(full, loaded.State);
            Assert.Equal(((9_999L * 10_000) / 2) + 7, loaded.State.Total);
        }

        // the aggregate's snapshot schema version is bumped: the old snapshot is ignored and rewritten
        await using (var bumped = TestStores.Create(postgres, o => o.Snapshots.For("counter", SnapshotPolicy.Every(1000), schemaVersion: 2), schema))
        {
            var replayed = await bumped.LoadAsync(Counter.Decider, id, CancellationToken.None);
            Assert.Equal(10_007, replayed.EventsRead);
            Assert.Null(replayed.SnapshotVersion);
            Assert.Equal(full, replayed.State);

            await WaitForSnapshotAsync(bumped, id, 10_007, schemaVersion: 2);
            var again = await bumped.LoadAsync(Counter.Decider, id, CancellationToken.None);
            Assert.Equal(0, again.EventsRead);
            Assert.Equal(full, again.State);
        }
    }

    [Fact]
    public async Task handled_commands_take_snapshots_by_the_policy_and_off_means_never()
    {
        await using var store = TestStores.Create(postgres, o => o.Snapshots.For("counter", SnapshotPolicy.Every(3)));
        var id = Guid.NewGuid();
        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "p"), null, CancellationToken.None);
        await store.HandleAsync(Counter.Decider, id, new Increment(id, 1), null, CancellationToken.None);
        await store.FlushSnapshotsAsync(Deadline, CancellationToken.None);
        Assert.Null(await store.ReadSnapshotAsync("counter", id, CancellationToken.None));

        await store.HandleAsync(Counter.Decider, id, new Increment(id, 1), null, CancellationToken.None);
        await WaitForSnapshotAsync(store, id, 3, schemaVersion: 1);

        await using var off = TestStores.Create(postgres, o => o.Snapshots.For("counter", SnapshotPolicy.Off));
        var other = Guid.NewGuid();
        for (var i = 0; i < 5; i++)
            await off.AppendAsync(other, [new CounterOpened(other, "o")], ExpectedVersion.Any, null, CancellationToken.None);
        var loaded = await off.LoadAsync(Counter.Decider, other, CancellationToken.None);
        await off.FlushSnapshotsAsync(Deadline, CancellationToken.None);
        Assert.Equal(5, loaded.EventsRead);
        Assert.Null(await off.ReadSnapshotAsync("counter", other, CancellationToken.None));
    }

    [Fact]
    public async Task a_predicate_policy_decides_when_to_snapshot()
    {
        await using var store = TestStores.Create(postgres, o => o.Snapshots.For("counter",
            SnapshotPolicy.When(c => c.State is CounterState { Closed: true })));
        var id = Guid.NewGuid();
        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "p"), null, CancellationToken.None);
        await store.HandleAsync(Counter.Decider, id, new Increment(id, 1), null, CancellationToken.None);
        await store.FlushSnapshotsAsync(Deadline, CancellationToken.None);
        Assert.Null(await store.ReadSnapshotAsync("counter", id, CancellationToken.None));

        await store.HandleAsync(Counter.Decider, id, new CloseCounter(id), null, CancellationToken.None);
        await WaitForSnapshotAsync(store, id, 3, schemaVersion: 1);
    }

    [Fact]
    public async Task a_failing_snapshot_write_never_fails_the_load_and_is_retried()
    {
        var schema = postgres.NewSchemaName();
        await using var store = TestStores.Create(postgres, o =>
        {
            o.Snapshots.For("counter", SnapshotPolicy.Every(2));
            o.Snapshots.RetryDelays = Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 300).ToArray();
        }, schema);
        await store.EnsureSchemaAsync(CancellationToken.None);
        await using (var hide = postgres.DataSource.CreateCommand($"alter table {schema}.es_snapshots rename to es_snapshots_hidden"))
            await hide.ExecuteNonQueryAsync();

        var id = await AppendLongStreamAsync(store, 5);
        var loaded = await store.LoadAsync(Counter.Decider, id, CancellationToken.None);
        Assert.Equal(5, loaded.Version);
        await Eventually.Until(() => Task.FromResult(store.SnapshotStatistics.FailedAttempts >= 2), Deadline, "snapshot write failures");

        await using (var restore = postgres.DataSource.CreateCommand($"alter table {schema}.es_snapshots_hidden rename to es_snapshots"))
            await restore.ExecuteNonQueryAsync();
        await WaitForSnapshotAsync(store, id, 5, schemaVersion: 1);
    }

    [Fact]
    public async Task rebuild_rewrites_the_snapshots_of_an_aggregate_from_a_full_replay()
    {
        var schema = postgres.NewSchemaName();
        var ids = new List<Guid>();
        await using (var store = TestStores.Create(postgres, o => o.Snapshots.For("counter", SnapshotPolicy.Every(2)), schema))
        {
            for (var i = 0; i < 3; i++)
            {
                var id = Guid.NewGuid();
                ids.Add(id);
                await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "r"), null, CancellationToken.None);
                await store.HandleAsync(Counter.Decider, id, new Increment(id, i + 1), null, CancellationToken.None);
                await store.HandleAsync(Counter.Decider, id, new Increment(id, 10), null, CancellationToken.None);
            }

            await store.FlushSnapshotsAsync(Deadline, CancellationToken.None);
        }

        await using var bumped = TestStores.Create(postgres, o => o.Snapshots.For("counter", SnapshotPolicy.Every(1000), schemaVersion: 7), schema);
        var rebuilt = await bumped.RebuildSnapshotsAsync(Counter.Decider, null, CancellationToken.None);

        Assert.Equal(3, rebuilt);
        foreach (var id in ids)
        {
            var snapshot = await bumped.ReadSnapshotAsync("counter", id, CancellationToken.None);
            Assert.NotNull(snapshot);
            Assert.Equal((7, 3L), (snapshot.SchemaVersion, snapshot.Version));
            var loaded = await bumped.LoadAsync(Counter.Decider, id, CancellationToken.None);
            Assert.Equal(0, loaded.EventsRead);
        }
    }
}
