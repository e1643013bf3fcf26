using System.Diagnostics;
using System.Text.Json;
using EventSourcing.Projections.Cli;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Tests.Distribution;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Xunit.Abstractions;

namespace EventSourcing.Projections.Tests.Crash;

/// <summary>
/// Wolverine distribution, two host processes on one event store, four read models spread two and two. The
/// cluster's leader is killed (SIGKILL, no graceful shutdown: its agents are never stopped, its node row stays)
/// while it runs read models and a writer keeps appending. Wolverine notices the dead node once its heartbeat is
/// older than <c>Durability.StaleNodeTimeout</c> (see <see cref="DaemonHost"/>), ejects it, the survivor becomes
/// leader and runs every read model, and each read model ends equal to its projection folded over the whole log.
/// </summary>
public sealed class WolverineCrashTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    private static readonly string[] Names = ["crash_a", "crash_b", "crash_c", "crash_d"];

    [Fact]
    public async Task a_killed_node_is_ejected_and_the_survivor_takes_over_its_read_models_with_nothing_lost_or_doubled()
    {
        var schema = postgres.NewSchemaName();
        await using var store = TestEventLog.Store(postgres.ConnectionString, schema);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var orders = await TestEventLog.SeedOrdersAsync(store, orders: 300);
        var hosts = new List<Process>();
        try
        {
            // host one starts alone on a 3,000-event log and takes every read model
            hosts.Add(Start(schema));
            var alone = await PlacementAsync(schema, p => p.Count == Names.Length && p.Values.Distinct().Count() == 1, "host one runs every read model");
            var nodeOne = alone.Values.First();

            // host two joins: two read models move to it
            hosts.Add(Start(schema));
            var spread = await PlacementAsync(schema, p => p.Count == Names.Length && p.Values.Count(n => n == nodeOne) == Names.Length / 2,
                "the read models spread two and two");
            var nodeTwo = spread.Values.First(n => n != nodeOne);

            // kill the leader: the survivor must also win the election before it can place the dead node's read models
            var leader = await Eventually.Until(() => NodeAssignments.LeaderAsync(postgres.DataSource, schema), l => l is not null, Timeout, "a leader");
            var (victim, victimNode, survivorNode) = leader == nodeOne ? (hosts[0], nodeOne, nodeTwo) : (hosts[1], nodeTwo, nodeOne);
            var owned = (await NodeAssignments.ReadAsync(postgres.DataSource, schema)).Where(p => p.Value == victimNode).Select(p => p.Key).ToList();
            Assert.Equal(Names.Length / 2, owned.Count);

            await using (NoteWriter.Start(store, orders, "around the kill"))
            {
                // 8,000 more events to catch up; the kill comes once the victim's read models are 2,000 events into them
                var before = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
                var seeding = TestEventLog.SeedOrdersAsync(store, orders: 800);
                await Eventually.Until(() => MaxCheckpointAsync(schema, owned), c => c >= before + 2_000, Timeout, $"node {victimNode} into the catch-up");
                await LogProgressAsync(schema, $"killing node {victimNode} (leader) running {string.Join(", ", owned)}");
                var sinceKill = Stopwatch.StartNew();
                await victim.KillAsync();
                await seeding;

                var expected = Describe(Names.ToDictionary(n => n, _ => survivorNode), [survivorNode]);
                await Eventually.Until(async () => Describe(await NodeAssignments.ReadAsync(postgres.DataSource, schema), await NodeAssignments.NodesAsync(postgres.DataSource, schema)),
                    d => d == expected, Timeout, $"node {victimNode} ejected and node {survivorNode} running every read model");
                Assert.Equal(survivorNode, await NodeAssignments.LeaderAsync(postgres.DataSource, schema));
                // and what an operator sees: projections status names the survivor for every read model
                Assert.Equal(Names.Select(_ => (int?)survivorNode), await StatusNodesAsync(schema));
                await LogProgressAsync(schema, $"{sinceKill.Elapsed.TotalSeconds:0.0} s after the kill, node {survivorNode} runs every read model");
            }

            // more orders after the takeover, then every read model catches up to the end of the log
            await TestEventLog.SeedOrdersAsync(store, orders: 100);
            var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
            foreach (var name in Names)
                await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, name), c => c >= head, Timeout, $"{name} at {head}");

            // documents count the events applied to them: a batch lost with the dead node, or applied twice, would show
            foreach (var name in Names)
            {
                var folded = await ExpectedReadModels.FoldAsync(store, new OrderSummaryProjection(name));
                Assert.Equal(1_080, folded.Count);
                Assert.Equal(folded, await ExpectedReadModels.ReadAsync(postgres.DataSource, schema, name));
            }
        }
        finally
        {
            foreach (var host in hosts)
                await host.KillAsync();
        }
    }

    private Process Start(string schema) => DaemonProcess.Start("daemon-wolverine", postgres.ConnectionString, schema, Names);

    private async Task<IReadOnlyDictionary<string, int>> PlacementAsync(string schema, Func<IReadOnlyDictionary<string, int>, bool> done, string what)
    {
        IReadOnlyDictionary<string, int> placement = new Dictionary<string, int>();
        await Eventually.Until(async () =>
        {
            placement = await NodeAssignments.ReadAsync(postgres.DataSource, schema);
            return Describe(placement, await NodeAssignments.NodesAsync(postgres.DataSource, schema));
        }, _ => done(placement), Timeout, what);
        return placement;
    }

    /// <summary><c>crash_a@3 crash_b@4 ... | nodes 3 4</c>: readable in a timeout message.</summary>
    private static string Describe(IReadOnlyDictionary<string, int> placement, IEnumerable<int> nodes) =>
        string.Join(" ", placement.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}@{p.Value}")) + " | nodes " + string.Join(" ", nodes.Order());

    /// <summary>The node numbers <c>projections status --json</c> shows for the read models, in name order.</summary>
    private async Task<IEnumerable<int?>> StatusNodesAsync(string schema)
    {
        using var json = new StringWriter();
        using var error = new StringWriter();
        var code = await ProjectionsCli.RunAsync(["status", "--json"],
            b => DaemonHost.Configure(b, postgres.ConnectionString, schema, Names.Select(n => new OrderSummaryProjection(n)),
                options: o => o with { Distribution = ProjectionDistribution.Wolverine }),
            json, error, interactive: false, CancellationToken.None);
        Assert.True(code == ExitCodes.Ok, error.ToString());
        return JsonDocument.Parse(json.ToString()).RootElement.EnumerateArray()
            .OrderBy(r => r.GetProperty("name").GetString(), StringComparer.Ordinal)
            .Select(r => r.GetProperty("node").GetProperty("number") is { ValueKind: JsonValueKind.Number } n ? n.GetInt32() : (int?)null)
            .ToList();
    }

    private async Task<long> MaxCheckpointAsync(string schema, IEnumerable<string> names)
    {
        var max = 0L;
        foreach (var name in names)
            max = Math.Max(max, await TestEventLog.CheckpointAsync(postgres.DataSource, schema, name));
        return max;
    }

    private async Task LogProgressAsync(string schema, string what)
    {
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        var checkpoints = new List<string>();
        foreach (var name in Names)
            checkpoints.Add($"{name} {await TestEventLog.CheckpointAsync(postgres.DataSource, schema, name)}");
        output.WriteLine($"{what}: head {head}, checkpoints {string.Join(", ", checkpoints)}");
    }
}
