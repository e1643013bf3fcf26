using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Marten;

namespace EventSourcing.Projections.Tests.Distribution;

/// <summary>
/// The engine defect of docs/known-issues.md, reproduced deterministically: another process moves a read model's checkpoint
/// under a running agent (here the test, by one event back, as a stale batch committed elsewhere would look), so the agent's next
/// commit fails the conditional checkpoint with <c>ProgressionProgressOutOfOrderException</c> and Marten stops it for good.
/// Neither Marten's coordinator (HotCold) nor Wolverine restarts such an agent; the host must. HotCold hands it back to the
/// coordinator (<c>projections.agents.restarted</c>); Wolverine releases the assignment so the leader places it again
/// (<c>projections.agents.released</c>). Either way the read model carries on from the checkpoint, and every document equals the
/// oracle: orders placed minus purged in <c>mt_events</c>, each with exactly its 9 changes (the event applied again after the
/// checkpoint moved back is skipped by its document's version).
/// </summary>
public sealed class StoppedAgentTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(ProjectionDistribution.HotCold, "projections.agents.restarted")]
    [InlineData(ProjectionDistribution.Wolverine, "projections.agents.released")]
    public async Task an_agent_stopped_because_its_checkpoint_moved_under_it_runs_again_with_nothing_lost_or_doubled(
        ProjectionDistribution distribution, string remedy)
    {
        var schema = postgres.NewSchemaName();
        var name = $"stopped_{distribution.ToString().ToLowerInvariant()}";
        await using var store = TestEventLog.Store(postgres.ConnectionString, schema);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        using var counted = new CounterListener(remedy, name);
        using var host = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection(name)],
            options: o => o with { Distribution = distribution, ProgressCheckInterval = TimeSpan.FromMilliseconds(200) },
            marten: m => m.Projections.LeadershipPollingTime = 200);
        await host.StartAsync();
        try
        {
            await TestEventLog.SeedOrdersAsync(store, orders: 50);
            await CaughtUpAsync(schema, name);

            for (var round = 1; round <= 2; round++)
            {
                var before = counted.Count;
                await MoveCheckpointBackAsync(schema, name);
                await TestEventLog.SeedOrdersAsync(store, orders: 20);
                await Eventually.Until(() => Task.FromResult(counted.Count > before), Timeout, $"round {round}: the stopped agent handled ({remedy})");
                await TestEventLog.SeedOrdersAsync(store, orders: 20);
                await CaughtUpAsync(schema, name);
            }
        }
        finally
        {
            await host.StopAsync();
        }

        var view = await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, name);
        Assert.Equal(await TestEventLog.LiveOrdersAsync(postgres.DataSource, schema), view.Count);
        Assert.All(view.Values, json => Assert.Equal(9, TestEventLog.ChangesOf(json)));
    }

    private async Task MoveCheckpointBackAsync(string schema, string name)
    {
        await using var command = postgres.DataSource.CreateCommand(
            $"update {schema}.mt_event_progression set last_seq_id = last_seq_id - 1 where name = $1");
        command.Parameters.AddWithValue($"{name}:All");
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task CaughtUpAsync(string schema, string name)
    {
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, name), c => c >= head, Timeout, $"{name} at {head}");
    }
}
