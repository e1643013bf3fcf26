using EventSourcing.TestInfrastructure;
using Xunit.Abstractions;

namespace EventSourcing.Cluster.Tests;

/// <summary>
/// <c>Orders__Distribution=Solo</c> scaled to three replicas, as a user gets by scaling a deployment without choosing a
/// distribution: every node runs every read model without a lock, the conditional checkpoint fences all but one batch per
/// range, and a node whose agent was stopped by that (<c>ProgressionProgressOutOfOrderException</c>) starts it again from its
/// checkpoint. When the node applying the batches (the winner) is killed, every read model moves again within
/// <see cref="ClusterScenario.Bound"/>.
/// </summary>
public sealed class SoloClusterTests(PostgresFixture postgres, ITestOutputHelper output)
    : ClusterScenario(postgres, output), IClassFixture<PostgresFixture>
{
    [Fact]
    public Task three_replicas_with_the_winner_killed_move_every_read_model_again_within_the_bound() =>
        RunAsync("Solo", async cluster =>
        {
            for (var round = 1; round <= Rounds; round++)
            {
                var winner = await WinnerAsync(cluster, round);
                var failover = await FaultAsync(cluster, ClusterProbe.ReadModels, winner.KillAsync, $"round {round}: SIGKILL Solo winner {winner.Name}");
                cluster.Record("Solo", "SIGKILL winner", failover);
                Output.WriteLine($"round {round}: now applied by {Describe(await cluster.Probe.CheckpointWritersAsync())}");
                await cluster.ConvergeAsync($"round {round}: after {winner.Name} was killed");
                cluster.Replace(winner);
                await cluster.WaitForNodesAsync();
            }
        });

    /// <summary>
    /// The winner, observed in PostgreSQL: the checkpoint trace names the node whose transaction last advanced each read model's
    /// checkpoint (a fenced batch rolls back with its trace row). It is taken once every other node has lost the race for each
    /// read model at least once (Marten's <c>ProgressionProgressOutOfOrderException</c> naming it in its output), so that
    /// without a restart of the agents a fence stopped, the winner is the only node still running them; then the node that
    /// last advanced the most read models.
    /// </summary>
    private async Task<ServeNode> WinnerAsync(Cluster cluster, int round)
    {
        var names = cluster.Names.ToList();
        int Lost(string node, string readModel) => cluster.Named(node).Count($"Progression 'Identity: {readModel}:All' is out of order");
        var writers = await Eventually.Until(cluster.Probe.CheckpointWritersAsync,
            w => ClusterProbe.ReadModels.All(r => w.TryGetValue(r, out var writer) && names.Contains(writer)
                                                  && names.Where(n => n != writer).All(n => Lost(n, r) > 0)),
            Timeout, $"every node but the one applying a read model to have lost the race for it ({cluster.Tails()})");
        var winner = writers.Values.GroupBy(w => w, StringComparer.Ordinal).OrderByDescending(g => g.Count()).First().Key;
        Output.WriteLine($"round {round}: winner {winner}, the node whose transactions last advanced the most read models' checkpoints " +
                         $"({Describe(writers)}); races lost (ProgressionProgressOutOfOrderException): " +
                         string.Join(", ", names.SelectMany(n => ClusterProbe.ReadModels.Select(r => $"{n} {r} {Lost(n, r)}"))));
        return cluster.Named(winner);
    }
}
