using System.Diagnostics;
using EventSourcing.TestInfrastructure;
using Xunit.Abstractions;

namespace EventSourcing.Cluster.Tests;

/// <summary>
/// <c>Orders__Distribution=Wolverine</c>: the leader places each read model on one node. A frozen (SIGSTOP) or killed owner loses
/// its read model, a frozen leader is replaced and its read models move, a rolling SIGTERM restart stalls no read model for long;
/// each within <see cref="ClusterScenario.Bound"/>, and a resumed node's stale writes stay fenced (the fold check at the end).
/// </summary>
public sealed class WolverineClusterTests(PostgresFixture postgres, ITestOutputHelper output)
    : ClusterScenario(postgres, output), IClassFixture<PostgresFixture>
{
    [Fact]
    public Task a_frozen_owner_then_a_killed_owner_lose_their_read_model_within_the_bound_and_nothing_stays_dead() =>
        RunAsync("Wolverine", async cluster =>
        {
            for (var round = 1; round <= Rounds; round++)
            {
                // SIGSTOP a node running a read model, not the leader (a frozen leader is the next test): ejected, read model moved
                var (readModel, owner, number) = await NotOnTheLeaderAsync(cluster);
                var frozenFor = Stopwatch.StartNew();
                var failover = await FaultAsync(cluster, [readModel], owner.FreezeAsync, $"round {round}: SIGSTOP node {number} ({owner.Name})");
                cluster.Record("Wolverine", "SIGSTOP owner", failover);
                // the frozen node stays stopped for longer than StaleNodeTimeout after the takeover, then resumes with a stale batch in hand
                await StayFrozenAsync(frozenFor, failover);
                await owner.ThawAsync();
                Output.WriteLine($"round {round}: SIGCONT node {number} after {frozenFor.Elapsed.TotalSeconds:0.0} s");
                await cluster.ConvergeAsync($"round {round}: after node {number} resumed");

                // SIGKILL a node now running a read model
                (readModel, owner, number) = await NotOnTheLeaderAsync(cluster);
                failover = await FaultAsync(cluster, [readModel], owner.KillAsync, $"round {round}: SIGKILL node {number} ({owner.Name})");
                cluster.Record("Wolverine", "SIGKILL owner", failover);
                await cluster.ConvergeAsync($"round {round}: after node {number} was killed");
                cluster.Replace(owner);
                await cluster.WaitForNodesAsync();
            }
        });

    [Fact]
    public Task a_frozen_leader_is_replaced_and_its_read_models_move_within_the_bound_and_the_cluster_converges_when_it_resumes() =>
        RunAsync("Wolverine", async cluster =>
        {
            for (var round = 1; round <= Rounds; round++)
            {
                var leader = (await Eventually.Until(cluster.Probe.LeaderAsync, l => l is not null, Timeout, "a leader"))!.Value;
                var owners = await Eventually.Until(cluster.Probe.OwnersAsync, o => ClusterProbe.ReadModels.All(o.ContainsKey), Timeout, "both read models placed");
                var node = cluster.NodeNumbered(leader);
                var its = owners.Where(o => o.Value == leader).Select(o => o.Key).ToList();
                Output.WriteLine($"round {round}: leader node {leader} ({node.Name}), owners {Describe(owners)}" +
                                 (its.Count == 0 ? "; the leader runs no read model: only the election of another leader is measured" : ""));
                var frozenFor = Stopwatch.StartNew();
                // Wolverine never checks its leader's heartbeat: the host lease ends the frozen leader's leadership session
                var failover = await FaultAsync(cluster, its, node.FreezeAsync, $"round {round}: SIGSTOP leader node {leader} ({node.Name})",
                    async () => await cluster.Probe.LeaderAsync() is { } now && now != leader, "another node elected leader");
                cluster.Record("Wolverine", "SIGSTOP leader", failover);
                Output.WriteLine($"round {round}: leader now node {await cluster.Probe.LeaderAsync()}, owners {Describe(await cluster.Probe.OwnersAsync())}");
                await StayFrozenAsync(frozenFor, failover);
                await node.ThawAsync();
                Output.WriteLine($"round {round}: SIGCONT node {leader} after {frozenFor.Elapsed.TotalSeconds:0.0} s");
                await cluster.ConvergeAsync($"round {round}: after the old leader resumed");
            }
        });

    [Fact]
    public Task a_rolling_restart_of_every_node_stalls_no_read_model_beyond_the_bound() =>
        RunAsync("Wolverine", async cluster =>
        {
            for (var round = 1; round <= Rounds; round++)
                await RollingRestartAsync(cluster, "Wolverine", round);
        });

    /// <summary>
    /// A read model and its owner, preferring one the leader does not run (the leader places two read models on three
    /// nodes and may keep one itself); the leader's when it runs them all. Only once the node the assignment table names is
    /// also the node whose session last advanced the checkpoint (the trace): right after a node resumed, a rebalance may
    /// already run the read model elsewhere while the table still names the old node, and a fault there would time nothing.
    /// </summary>
    private async Task<(string ReadModel, ServeNode Node, int Number)> NotOnTheLeaderAsync(Cluster cluster)
    {
        string[] readModels = ["customer_orders", "order_search"];
        var picked = await Eventually.Until(async () =>
        {
            var leader = await cluster.Probe.LeaderAsync();
            var owners = await cluster.Probe.OwnersAsync();
            if (leader is null || !readModels.All(owners.ContainsKey))
                return default((string, ServeNode, int)?);
            var chosen = readModels.FirstOrDefault(r => owners[r] != leader) ?? readModels[0];
            var node = cluster.Nodes.FirstOrDefault(n => cluster.IsNodeNumbered(n, owners[chosen]));
            var writers = await cluster.Probe.CheckpointWritersAsync();
            return node is not null && writers.GetValueOrDefault(chosen) == node.Name ? (chosen, node, owners[chosen]) : null;
        }, p => p is not null, Timeout, "a read model applied by the node it is assigned to");
        var (readModel, owner, number) = picked!.Value;
        if (await cluster.Probe.LeaderAsync() == number)
            Output.WriteLine($"every read model runs on the leader (node {number}): the fault hits the leader");
        return (readModel, owner, number);
    }
}
