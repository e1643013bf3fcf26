using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.EventStore.Tests.Appending;

public sealed class AppendAndReadTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task appended_events_read_back_in_order_with_their_versions()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();

        var first = await store.AppendAsync(id, [new CounterOpened(id, "a"), new CounterIncremented(id, 2)], ExpectedVersion.NoStream, null, CancellationToken.None);
        var second = await store.AppendAsync(id, [new CounterIncremented(id, 3)], ExpectedVersion.Exact(2), null, CancellationToken.None);
        var third = await store.AppendAsync(id, [new CounterIncremented(id, 4)], ExpectedVersion.Any, null, CancellationToken.None);

        Assert.Equal((1, 2), (first.FirstVersion, first.LastVersion));
        Assert.Equal((3, 3), (second.FirstVersion, second.LastVersion));
        Assert.Equal((4, 4), (third.FirstVersion, third.LastVersion));

        var events = await store.ReadStreamAsync(id, 0, CancellationToken.None);
        Assert.Equal([1L, 2, 3, 4], events.Select(e => e.StreamVersion));
        Assert.Equal(["counter.opened", "counter.incremented", "counter.incremented", "counter.incremented"], events.Select(e => e.TypeName));
        Assert.All(events, e => Assert.Equal(id, e.StreamId));
        Assert.Equal(new CounterIncremented(id, 3), events[2].Data);
        Assert.True(events.Select(e => e.GlobalSequence).SequenceEqual(events.Select(e => e.GlobalSequence).Order()));

        var fromThree = await store.ReadStreamAsync(id, 3, CancellationToken.None);
        Assert.Equal([3L, 4], fromThree.Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task appending_with_stale_version_is_rejected_and_writes_nothing()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        await store.AppendAsync(id, [new CounterOpened(id, "a"), new CounterIncremented(id, 1)], ExpectedVersion.NoStream, null, CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.AppendAsync(id, [new CounterIncremented(id, 5)], ExpectedVersion.Exact(1), null, CancellationToken.None));

        Assert.Equal(id, conflict.StreamId);
        Assert.Equal(ExpectedVersion.Exact(1), conflict.Expected);
        Assert.Equal(2, conflict.ActualVersion);
        Assert.Equal(2, (await store.ReadStreamAsync(id, 0, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task starting_an_existing_stream_is_a_conflict()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        await store.AppendAsync(id, [new CounterOpened(id, "a")], ExpectedVersion.NoStream, null, CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.AppendAsync(id, [new CounterOpened(id, "b")], ExpectedVersion.NoStream, null, CancellationToken.None));

        Assert.Equal(ExpectedVersion.NoStream, conflict.Expected);
        Assert.Equal(1, conflict.ActualVersion);
    }

    [Fact]
    public async Task exact_version_on_a_missing_stream_is_a_conflict()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();

        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.AppendAsync(id, [new CounterIncremented(id, 1)], ExpectedVersion.Exact(3), null, CancellationToken.None));

        Assert.Equal(0, conflict.ActualVersion);
        Assert.Empty(await store.ReadStreamAsync(id, 0, CancellationToken.None));
    }

    [Fact]
    public async Task handle_loads_decides_and_appends()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();

        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "c"), null, CancellationToken.None);
        var result = await store.HandleAsync(Counter.Decider, id, new Increment(id, 7), null, CancellationToken.None);

        Assert.Equal(2, result.Version);
        Assert.Equal(7, result.State.Total);
        var loaded = await store.LoadAsync(Counter.Decider, id, CancellationToken.None);
        Assert.Equal(result.State, loaded.State);
        Assert.Equal(2, loaded.Version);
    }

    [Fact]
    public async Task a_batch_appends_to_many_streams_in_one_transaction_or_not_at_all()
    {
        await using var store = TestStores.Create(postgres);
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        await store.AppendAsync(b, [new CounterOpened(b, "b")], ExpectedVersion.NoStream, null, CancellationToken.None);

        var results = await store.AppendBatchAsync(
        [
            new StreamAppend(a, [new CounterOpened(a, "a"), new CounterIncremented(a, 1)], ExpectedVersion.NoStream),
            new StreamAppend(b, [new CounterIncremented(b, 2)], ExpectedVersion.Exact(1)),
        ], new AppendOptions { CorrelationId = "batch" }, CancellationToken.None);

        Assert.Equal([(a, 1L, 2L), (b, 2L, 2L)], results.Select(r => (r.StreamId, r.FirstVersion, r.LastVersion)));
        Assert.Equal("batch", (await store.ReadStreamAsync(a, 0, CancellationToken.None))[0].CorrelationId);

        var c = Guid.NewGuid();
        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendBatchAsync(
        [
            new StreamAppend(c, [new CounterOpened(c, "c")], ExpectedVersion.NoStream),
            new StreamAppend(b, [new CounterIncremented(b, 3)], ExpectedVersion.Exact(1)),
        ], null, CancellationToken.None));
        Assert.Equal((b, 2L), (conflict.StreamId, conflict.ActualVersion));
        Assert.Empty(await store.ReadStreamAsync(c, 0, CancellationToken.None));

        var twice = await Assert.ThrowsAsync<ArgumentException>(() => store.AppendBatchAsync(
        [
            new StreamAppend(c, [new CounterOpened(c, "c")], ExpectedVersion.NoStream),
            new StreamAppend(c, [new CounterIncremented(c, 1)], ExpectedVersion.Any),
        ], null, CancellationToken.None));
        Assert.Contains("appears twice", twice.Message, StringComparison.Ordinal);
    }
}
