using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Idempotency;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.EventStore.Tests.Idempotency;

public sealed class IdempotencyTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task the_same_key_from_eight_tasks_at_once_appends_exactly_once()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        await store.AppendAsync(id, [new CounterOpened(id, "i")], ExpectedVersion.NoStream, null, CancellationToken.None);
        var options = new AppendOptions { IdempotencyKey = "pay-" + id };

        using var start = new Barrier(8);
        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            return await store.AppendAsync(id, [new CounterIncremented(id, 10), new CounterIncremented(id, 20)], ExpectedVersion.Any, options, CancellationToken.None);
        })).ToArray();
        var results = await Task.WhenAll(tasks);

        Assert.Single(results, r => !r.AlreadyApplied);
        Assert.All(results, r => Assert.Equal((2L, 3L), (r.FirstVersion, r.LastVersion)));
        var events = await store.ReadStreamAsync(id, 0, CancellationToken.None);
        Assert.Equal(3, events.Count);
    }

    [Fact]
    public async Task the_same_command_key_from_eight_handlers_at_once_is_handled_exactly_once()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "h"), null, CancellationToken.None);
        var options = new AppendOptions { IdempotencyKey = "cmd-" + id };

        using var start = new Barrier(8);
        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            return await store.HandleAsync(Counter.Decider, id, new Increment(id, 5), options, CancellationToken.None);
        })).ToArray();
        var results = await Task.WhenAll(tasks);

        Assert.Single(results, r => !r.AlreadyApplied);
        Assert.All(results, r =>
        {
            Assert.Equal((2L, 2L), (r.FirstAppendedVersion, r.LastAppendedVersion));
            Assert.Equal(5, r.State.Total);
            Assert.Equal([new CounterIncremented(id, 5)], r.NewEvents);
        });
        var loaded = await store.LoadAsync(Counter.Decider, id, CancellationToken.None);
        Assert.Equal((2L, 5L), (loaded.Version, loaded.State.Total));
    }

    [Fact]
    public async Task a_retried_key_returns_the_first_result_and_appends_nothing()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        var options = new AppendOptions { IdempotencyKey = "open-" + id };

        var first = await store.AppendAsync(id, [new CounterOpened(id, "x")], ExpectedVersion.NoStream, options, CancellationToken.None);
        await store.AppendAsync(id, [new CounterIncremented(id, 1)], ExpectedVersion.Exact(1), null, CancellationToken.None);
        var again = await store.AppendAsync(id, [new CounterOpened(id, "x")], ExpectedVersion.NoStream, options, CancellationToken.None);

        Assert.False(first.AlreadyApplied);
        Assert.True(again.AlreadyApplied);
        Assert.Equal((1L, 1L), (again.FirstVersion, again.LastVersion));
        Assert.Equal(2, (await store.ReadStreamAsync(id, 0, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task the_same_key_with_a_different_payload_is_an_error()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        var options = new AppendOptions { IdempotencyKey = "k-" + id };
        await store.AppendAsync(id, [new CounterOpened(id, "x")], ExpectedVersion.NoStream, options, CancellationToken.None);

        var error = await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() =>
            store.AppendAsync(id, [new CounterOpened(id, "y")], ExpectedVersion.Any, options, CancellationToken.None));
        Assert.Equal("k-" + id, error.Key);
        Assert.Contains("different payload", error.Message, StringComparison.Ordinal);

        var other = Guid.NewGuid();
        var wrongStream = await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() =>
            store.AppendAsync(other, [new CounterOpened(id, "x")], ExpectedVersion.Any, options, CancellationToken.None));
        Assert.Equal(id, wrongStream.OriginalStreamId);
        Assert.Empty(await store.ReadStreamAsync(other, 0, CancellationToken.None));
    }

    [Fact]
    public async Task the_key_row_rolls_back_with_a_conflicting_append()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        await store.AppendAsync(id, [new CounterOpened(id, "x")], ExpectedVersion.NoStream, null, CancellationToken.None);
        var options = new AppendOptions { IdempotencyKey = "stale-" + id };

        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.AppendAsync(id, [new CounterIncremented(id, 1)], ExpectedVersion.Exact(5), options, CancellationToken.None));

        Assert.Null(await store.FindIdempotencyKeyAsync("stale-" + id, CancellationToken.None));
        var retried = await store.AppendAsync(id, [new CounterIncremented(id, 1)], ExpectedVersion.Exact(1), options, CancellationToken.None);
        Assert.False(retried.AlreadyApplied);
    }

    [Fact]
    public async Task keys_expire_after_the_retention_and_can_be_used_again()
    {
        await using var store = TestStores.Create(postgres, o => o.IdempotencyRetention = TimeSpan.FromMilliseconds(50));
        var id = Guid.NewGuid();
        var options = new AppendOptions { IdempotencyKey = "short-" + id };
        await store.AppendAsync(id, [new CounterOpened(id, "x")], ExpectedVersion.NoStream, options, CancellationToken.None);

        await Eventually.Until(async () => await store.FindIdempotencyKeyAsync("short-" + id, CancellationToken.None) is null,
            TimeSpan.FromSeconds(10), "the idempotency key to expire");
        Assert.Equal(1, await store.PurgeExpiredIdempotencyKeysAsync(CancellationToken.None));
        var again = await store.AppendAsync(id, [new CounterIncremented(id, 1)], ExpectedVersion.Any, options, CancellationToken.None);

        Assert.False(again.AlreadyApplied);
        Assert.Equal(2, again.LastVersion);
    }
}
