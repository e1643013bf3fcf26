using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks.Postgres;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wolverine.Runtime;
using Xunit.Abstractions;

namespace EventSourcing.Projections.Tests.Distribution;

/// <summary>
/// Two Wolverine hosts in one process, on one event store: Wolverine places each of four read models (shards)
/// on exactly one host, spreads them over both, and moves them to the survivor when a host stops.
/// </summary>
public sealed class WolverineDistributionTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly string[] Names = ["dist_a", "dist_b", "dist_c", "dist_d"];

    [Fact]
    public async Task shards_run_on_one_host_at_a_time_spread_over_both_and_move_to_the_survivor_with_nothing_lost_or_doubled()
    {
        var schema = postgres.NewSchemaName();
        var agents = new AgentLog();
        var batches = new ShardTracker();
        await using var store = TestEventLog.Store(postgres.ConnectionString, schema);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        using var one = StartHost(schema, "one", agents, batches);
        using var two = StartHost(schema, "two", agents, batches);
        try
        {
            await one.StartAsync();
            var orders = await TestEventLog.SeedOrdersAsync(store, orders: 100);
            var busy = await TestEventLog.SeedOrdersAsync(store, orders: 100);

            // (b) the four shards end spread evenly over both hosts; a writer keeps appending while they move
            await using (var writer = NoteWriter.Start(store, busy, "while shards move to host two"))
            {
                await two.StartAsync();
                await Eventually.Until(() => Task.FromResult((One: agents.Running("one").Count, Two: agents.Running("two").Count)),
                    n => n.One == Names.Length / 2 && n.Two == Names.Length / 2, Timeout, "the read models spread evenly over both hosts");
            }

            await AppendNotesAsync(store, orders, "while both hosts run");
            await TestEventLog.SeedOrdersAsync(store, orders: 100);
            await CaughtUpAsync(schema);
            // (c) every read model equals the projection folded over the log
            await AssertReadModelsAsync(store, schema);
            // each host's health reports the read models it runs, not the ones that moved away
            Assert.Equal(agents.Running("one").Order(StringComparer.Ordinal), HealthOf(one));
            Assert.Equal(agents.Running("two").Order(StringComparer.Ordinal), HealthOf(two));
            // and Wolverine's assignment table in PostgreSQL says the same
            var expected = Names.ToDictionary(n => n, n => NodeNumberOf(agents.Running("one").Contains(n) ? one : two), StringComparer.Ordinal);
            await Eventually.Until(() => NodeAssignments.ReadAsync(postgres.DataSource, schema), a => a.SequenceEqual(expected.OrderBy(e => e.Key, StringComparer.Ordinal)),
                Timeout, "the assignments in PostgreSQL");

            // (d) host one stops: its shards move to host two, which carries on with nothing lost or doubled
            var movedFromOne = agents.Running("one");
            await using (var writer = NoteWriter.Start(store, busy, "while host one stops"))
            {
                await one.StopAsync();
                batches.BatchesByHost.Clear();
                await Eventually.Until(() => Task.FromResult(agents.Running("two").Count), n => n == Names.Length, Timeout, "host two runs every read model");
            }

            await AppendNotesAsync(store, orders, "after host one stopped");
            await TestEventLog.SeedOrdersAsync(store, orders: 100);
            await CaughtUpAsync(schema);
            await AssertReadModelsAsync(store, schema);
            Assert.NotEmpty(movedFromOne);
            Assert.Empty(agents.Running("one"));
            Assert.Equal(Names, HealthOf(two));
            Assert.Equal(["two"], batches.BatchesByHost.Keys);
            Assert.Equal(Names, batches.BatchesByHost["two"].Keys.Order());

            // (a) no shard ever started on a host while the other ran it, and no two batches of one read model ever overlapped
            Assert.Empty(agents.Overlaps());
            Assert.Equal(1, batches.MaxConcurrent);
        }
        finally
        {
            output.WriteLine(agents.ToString());
        }

        await two.StopAsync();
    }

    private static int NodeNumberOf(IHost host) => host.Services.GetRequiredService<IWolverineRuntime>().Options.Durability.AssignedNodeNumber;

    private static IEnumerable<string> HealthOf(IHost host) =>
        host.Services.GetRequiredService<ProjectionHealth>().Snapshot().Keys.Order(StringComparer.Ordinal);

    private IHost StartHost(string schema, string name, AgentLog agents, ShardTracker batches)
    {
        var host = DaemonHost.Build(postgres.ConnectionString, schema, Names.Select(n => new OrderSummaryProjection(n)),
            sp => new TrackingSink(new PostgresSink(sp.GetRequiredService<ProjectionsDataSource>().DataSource, new PostgresSinkOptions(schema)), batches, name),
            o => o with { Distribution = ProjectionDistribution.Wolverine });
        RecordingObserver.Install(host.Services.GetRequiredService<IWolverineRuntime>(), name, agents);
        return host;
    }

    /// <summary>A note on every order that still exists: a note applied twice would show in the document's change count.</summary>
    private static async Task AppendNotesAsync(IDocumentStore store, IReadOnlyList<Guid> orders, string note)
    {
        await using var session = store.LightweightSession();
        foreach (var (id, i) in orders.Select((id, i) => (id, i)).Where(o => o.i % 10 != 0))
            session.Events.Append(id, new OrderNoted(id, note));
        await session.SaveChangesAsync();
    }

    private async Task CaughtUpAsync(string schema)
    {
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        foreach (var name in Names)
            await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, name), c => c >= head, Timeout, $"{name} at {head}");
    }

    private async Task AssertReadModelsAsync(IDocumentStore store, string schema)
    {
        foreach (var name in Names)
        {
            var expected = await ExpectedReadModels.FoldAsync(store, new OrderSummaryProjection(name));
            Assert.NotEmpty(expected);
            Assert.Equal(expected, await ExpectedReadModels.ReadAsync(postgres.DataSource, schema, name));
        }
    }
}
