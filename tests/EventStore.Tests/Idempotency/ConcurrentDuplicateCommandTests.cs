using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Deciders;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.EventStore.Tests.Idempotency;

/// <summary>
/// Duplicates of one command (one idempotency key) released at the same instant, from two stores (two
/// processes' worth of caches): exactly one append, and every duplicate gets the first result, never the
/// error that the first one's events would cause (already open, stale expected version).
/// </summary>
public sealed class ConcurrentDuplicateCommandTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const int Rounds = 30;
    private const int Duplicates = 8;
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task duplicates_of_a_command_the_decider_refuses_once_applied_all_get_the_first_result()
    {
        await using var a = TestStores.Create(postgres);
        await using var b = TestStores.Create(postgres);
        for (var round = 0; round < Rounds; round++)
        {
            var id = Guid.NewGuid();
            var options = new AppendOptions { IdempotencyKey = "open-" + id };

            var results = await ReleaseAtOnceAsync(i => (i % 2 == 0 ? a : b).HandleAsync(Counter.Decider, id, new OpenCounter(id, "c"), options, Ct));

            AssertAllTheFirstResult(results, expectedVersion: 1);
            Assert.Equal(1, await CountEventsAsync(id));
        }
    }

    [Fact]
    public async Task duplicates_decided_at_an_expected_version_all_get_the_first_result_instead_of_a_conflict()
    {
        await using var a = TestStores.Create(postgres);
        await using var b = TestStores.Create(postgres);
        for (var round = 0; round < Rounds; round++)
        {
            var id = Guid.NewGuid();
            await a.HandleAsync(Counter.Decider, id, new OpenCounter(id, "c"), null, Ct);
            var options = new AppendOptions { IdempotencyKey = "inc-" + id };

            var results = await ReleaseAtOnceAsync(i =>
                (i % 2 == 0 ? a : b).HandleAsync(Counter.Decider, id, new Increment(id, 7), ExpectedVersion.Exact(1), options, Ct));

            AssertAllTheFirstResult(results, expectedVersion: 2);
            Assert.All(results, r => Assert.Equal(7, r.State.Total));
            Assert.Equal(2, await CountEventsAsync(id));
        }
    }

    [Fact]
    public async Task the_refusal_still_surfaces_when_the_events_came_from_a_different_key()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "c"), new AppendOptions { IdempotencyKey = "first-" + id }, Ct);

        var refused = await Assert.ThrowsAsync<CounterRuleViolated>(() =>
            store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "c"), new AppendOptions { IdempotencyKey = "second-" + id }, Ct));
        Assert.Equal("counter is already open", refused.Message);
        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.HandleAsync(Counter.Decider, id, new Increment(id, 1), ExpectedVersion.Exact(0), new AppendOptions { IdempotencyKey = "third-" + id }, Ct));
        Assert.Equal(1, conflict.ActualVersion);
        Assert.Null(await store.FindIdempotencyKeyAsync("second-" + id, Ct));
        Assert.Equal(1, await CountEventsAsync(id));
    }

    private static async Task<CommandResult<CounterState>[]> ReleaseAtOnceAsync(Func<int, Task<CommandResult<CounterState>>> handle)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, Duplicates).Select(async i =>
        {
            await gate.Task;
            return await handle(i);
        }).ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }

    private static void AssertAllTheFirstResult(CommandResult<CounterState>[] results, long expectedVersion)
    {
        Assert.Single(results, r => !r.AlreadyApplied);
        var first = results.Single(r => !r.AlreadyApplied);
        Assert.All(results, r =>
        {
            Assert.Equal((first.StreamId, expectedVersion, expectedVersion, expectedVersion), (r.StreamId, r.Version, r.FirstAppendedVersion, r.LastAppendedVersion));
            Assert.Equal(first.State, r.State);
            Assert.Equal(first.NewEvents, r.NewEvents);
        });
    }

    private async Task<long> CountEventsAsync(Guid streamId)
    {
        await using var command = postgres.DataSource.CreateCommand($"select count(*) from {postgres.SchemaName}.mt_events where stream_id = $1");
        command.Parameters.AddWithValue(streamId);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
