using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.EventStore.Tests.Concurrency;

public sealed class ConcurrentWritersTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const int Writers = 16;
    private const int EventsPerWriter = 5;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task sixteen_writers_racing_on_one_version_leave_one_winner_and_fifteen_typed_conflicts(int run)
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        await store.AppendAsync(id, [new CounterOpened(id, $"run {run}")], ExpectedVersion.NoStream, null, CancellationToken.None);

        using var start = new Barrier(Writers);
        var attempts = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            try
            {
                await store.AppendAsync(id, [new CounterIncremented(id, writer + 1)], ExpectedVersion.Exact(1), null, CancellationToken.None);
                return (Exception?)null;
            }
            catch (ConcurrencyException e)
            {
                return e;
            }
        })).ToArray();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, o => o is null);
        var conflicts = outcomes.OfType<ConcurrencyException>().ToArray();
        Assert.Equal(Writers - 1, conflicts.Length);
        Assert.All(conflicts, c =>
        {
            Assert.Equal(id, c.StreamId);
            Assert.Equal(ExpectedVersion.Exact(1), c.Expected);
            Assert.Equal(2, c.ActualVersion);
        });
        var events = await store.ReadStreamAsync(id, 0, CancellationToken.None);
        Assert.Equal([1L, 2], events.Select(e => e.StreamVersion));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task sixteen_writers_retrying_on_conflict_commit_unique_contiguous_versions_and_lose_nothing(int run)
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        await store.AppendAsync(id, [new CounterOpened(id, $"run {run}")], ExpectedVersion.NoStream, null, CancellationToken.None);

        using var start = new Barrier(Writers);
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            var conflicts = 0;
            for (var n = 0; n < EventsPerWriter; n++)
            {
                while (true)
                {
                    var version = (await store.ReadStreamAsync(id, 0, CancellationToken.None))[^1].StreamVersion;
                    try
                    {
                        var result = await store.AppendAsync(id, [new CounterIncremented(id, (writer * 100) + n)], ExpectedVersion.Exact(version), null, CancellationToken.None);
                        Assert.Equal(version + 1, result.FirstVersion);
                        break;
                    }
                    catch (ConcurrencyException e)
                    {
                        Assert.True(e.ActualVersion > version, $"conflict reported actual {e.ActualVersion} <= expected {version}");
                        conflicts++;
                    }
                }
            }

            return conflicts;
        })).ToArray();
        await Task.WhenAll(writers);

        var events = await store.ReadStreamAsync(id, 0, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 1 + (Writers * EventsPerWriter)).Select(v => (long)v), events.Select(e => e.StreamVersion));
        var appended = events.Skip(1).Select(e => ((CounterIncremented)e.Data).By).Order().ToArray();
        var expected = Enumerable.Range(0, Writers).SelectMany(w => Enumerable.Range(0, EventsPerWriter).Select(n => (w * 100) + n)).Order().ToArray();
        Assert.Equal(expected, appended);
        Assert.Equal(events.Count, events.Select(e => e.GlobalSequence).Distinct().Count());
    }

    [Fact]
    public async Task handle_retries_conflicts_so_every_command_lands_once()
    {
        await using var store = TestStores.Create(postgres, o => o.MaxCommandRetries = 100);
        var id = Guid.NewGuid();
        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "h"), null, CancellationToken.None);

        using var start = new Barrier(8);
        var handlers = Enumerable.Range(1, 8).Select(by => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            return await store.HandleAsync(Counter.Decider, id, new Increment(id, by), null, CancellationToken.None);
        })).ToArray();
        var results = await Task.WhenAll(handlers);

        Assert.Equal(Enumerable.Range(2, 8).Select(v => (long)v), results.Select(r => r.Version).Order());
        var loaded = await store.LoadAsync(Counter.Decider, id, CancellationToken.None);
        Assert.Equal(36, loaded.State.Total);
        Assert.Equal(9, loaded.Version);
    }

    [Fact]
    public async Task handle_gives_up_after_the_configured_retries_with_the_conflict()
    {
        await using var store = TestStores.Create(postgres, o =>
        {
            o.MaxCommandRetries = 0;
            o.CommandStateCacheSize = 0;
        });
        var id = Guid.NewGuid();
        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "h"), null, CancellationToken.None);

        // a decider whose Decide lets another writer move the stream on (a raw version bump on the
        // stream row, as a competing commit would): the append that follows always conflicts
        var competing = Counter.Decider with
        {
            Decide = (command, state) =>
            {
                using var bump = postgres.DataSource.CreateCommand($"update {postgres.SchemaName}.mt_streams set version = version + 1 where id = $1");
                bump.Parameters.AddWithValue(id);
                bump.ExecuteNonQuery();
                return Counter.Decide(command, state);
            },
        };

        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.HandleAsync(competing, id, new Increment(id, 5), null, CancellationToken.None));
        Assert.Equal(ExpectedVersion.Exact(1), conflict.Expected);
        Assert.Equal(2, conflict.ActualVersion);
    }

    [Fact]
    public async Task a_command_on_a_stale_cached_state_conflicts_and_is_redecided_on_a_fresh_load()
    {
        var schema = postgres.NewSchemaName();
        await using var first = TestStores.Create(postgres, o => o.MaxCommandRetries = 0, schema);
        await using var second = TestStores.Create(postgres, schema: schema);
        var id = Guid.NewGuid();
        await first.HandleAsync(Counter.Decider, id, new OpenCounter(id, "s"), null, CancellationToken.None);
        await first.HandleAsync(Counter.Decider, id, new Increment(id, 1), null, CancellationToken.None);

        await second.HandleAsync(Counter.Decider, id, new Increment(id, 5), null, CancellationToken.None);
        await second.HandleAsync(Counter.Decider, id, new CloseCounter(id), null, CancellationToken.None);

        // first's cached state (open, total 1, v2) is stale: the fresh state is closed
        await Assert.ThrowsAsync<CounterRuleViolated>(() => first.HandleAsync(Counter.Decider, id, new Increment(id, 2), null, CancellationToken.None));
        var closed = await first.HandleAsync(Counter.Decider, id, new CloseCounter(id), null, CancellationToken.None);
        Assert.True(closed.AppendedNothing);
        Assert.Equal((4L, 6L), (closed.Version, closed.State.Total));
    }

    [Fact]
    public async Task a_cached_state_behind_the_stream_never_commits_a_stale_decision()
    {
        var schema = postgres.NewSchemaName();
        await using var first = TestStores.Create(postgres, o => o.MaxCommandRetries = 0, schema);
        await using var second = TestStores.Create(postgres, schema: schema);
        var id = Guid.NewGuid();
        await first.HandleAsync(Counter.Decider, id, new OpenCounter(id, "s"), null, CancellationToken.None);
        await second.HandleAsync(Counter.Decider, id, new Increment(id, 5), null, CancellationToken.None);

        var result = await first.HandleAsync(Counter.Decider, id, new Increment(id, 2), null, CancellationToken.None);

        Assert.Equal((3L, 7L, 3L), (result.Version, result.State.Total, result.FirstAppendedVersion));
        Assert.Equal([1L, 2, 3], (await first.ReadStreamAsync(id, 0, CancellationToken.None)).Select(e => e.StreamVersion));
    }
}
