using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Deciders;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.EventStore.Tests.Concurrency;

/// <summary>
/// <c>HandleAsync(decider, id, command, expected, options, ct)</c>: the decision must be made at exactly the
/// expected version; any other version is a <see cref="ConcurrencyException"/>, nothing is written, nothing retried.
/// </summary>
public sealed class ExpectedVersionCommandTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task a_command_at_the_expected_version_appends()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();

        var opened = await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "a"), ExpectedVersion.NoStream, null, Ct);
        var incremented = await store.HandleAsync(Counter.Decider, id, new Increment(id, 3), ExpectedVersion.Exact(1), null, Ct);

        Assert.Equal(1, opened.Version);
        Assert.Equal((2L, 2L, 3L), (incremented.FirstAppendedVersion, incremented.Version, incremented.State.Total));
    }

    [Fact]
    public async Task a_command_expecting_an_older_version_is_rejected_before_deciding_and_writes_nothing()
    {
        var decisions = 0;
        var counting = CountingDecider(() => Interlocked.Increment(ref decisions));
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "a"), null, Ct);
        await store.HandleAsync(Counter.Decider, id, new Increment(id, 1), null, Ct);

        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.HandleAsync(counting, id, new Increment(id, 5), ExpectedVersion.Exact(1), null, Ct));
        var noStream = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.HandleAsync(counting, id, new OpenCounter(id, "again"), ExpectedVersion.NoStream, null, Ct));

        Assert.Equal((id, ExpectedVersion.Exact(1), 2L), (conflict.StreamId, conflict.Expected, conflict.ActualVersion));
        Assert.Equal((ExpectedVersion.NoStream, 2L), (noStream.Expected, noStream.ActualVersion));
        Assert.Equal(0, decisions);
        Assert.Equal(2, (await store.ReadStreamAsync(id, 0, Ct)).Count);
    }

    [Fact]
    public async Task a_cached_state_at_the_expected_version_that_another_writer_moved_on_conflicts_once_without_retry()
    {
        var decisions = 0;
        var counting = CountingDecider(() => Interlocked.Increment(ref decisions));
        await using var first = TestStores.Create(postgres);
        await using var second = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        await first.HandleAsync(counting, id, new OpenCounter(id, "a"), null, Ct);
        await second.HandleAsync(Counter.Decider, id, new Increment(id, 1), null, Ct);
        decisions = 0;

        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            first.HandleAsync(counting, id, new Increment(id, 5), ExpectedVersion.Exact(1), null, Ct));

        Assert.Equal((ExpectedVersion.Exact(1), 2L), (conflict.Expected, conflict.ActualVersion));
        Assert.Equal(1, decisions);
        var events = await first.ReadStreamAsync(id, 0, Ct);
        Assert.Equal([new CounterOpened(id, "a"), new CounterIncremented(id, 1)], events.Select(e => e.Data));
    }

    [Fact]
    public async Task eight_commands_at_one_expected_version_at_once_commit_exactly_one()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "race"), null, Ct);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 8).Select(by => Task.Run(async () =>
        {
            try
            {
                await store.HandleAsync(Counter.Decider, id, new Increment(id, by), ExpectedVersion.Exact(1), null, Ct);
                return "won";
            }
            catch (ConcurrencyException e) when (e.Expected == ExpectedVersion.Exact(1) && e.ActualVersion == 2)
            {
                return "conflict";
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o == "won"));
        Assert.Equal(7, outcomes.Count(o => o == "conflict"));
        Assert.Equal([1L, 2], (await store.ReadStreamAsync(id, 0, Ct)).Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task a_repeated_idempotent_command_returns_its_first_result_whatever_the_version_is_now()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        var options = new AppendOptions { IdempotencyKey = "exact-" + id };
        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "a"), null, Ct);
        var first = await store.HandleAsync(Counter.Decider, id, new Increment(id, 4), ExpectedVersion.Exact(1), options, Ct);
        await store.HandleAsync(Counter.Decider, id, new Increment(id, 1), null, Ct);

        var again = await store.HandleAsync(Counter.Decider, id, new Increment(id, 4), ExpectedVersion.Exact(1), options, Ct);

        Assert.False(first.AlreadyApplied);
        Assert.True(again.AlreadyApplied);
        Assert.Equal((2L, 2L), (again.FirstAppendedVersion, again.LastAppendedVersion));
        Assert.Equal(3, (await store.ReadStreamAsync(id, 0, Ct)).Count);
    }

    private static Decider<CounterState, CounterCommand> CountingDecider(Action decided) =>
        new("counter", CounterState.Initial, (command, state) =>
        {
            decided();
            return Counter.Decide(command, state);
        }, Counter.Evolve);
}
