using System.Diagnostics;
using EventSourcing.TestInfrastructure;
using Xunit.Abstractions;

namespace EventSourcing.Cluster.Tests;

/// <summary>
/// <c>Orders__Distribution=HotCold</c>: each read model runs on the node holding its PostgreSQL advisory lock. A killed holder's
/// connections close; a frozen (SIGSTOP) holder keeps them open until a peer, finding its host lease expired, ends its sessions.
/// Either way a standby takes the locks within <see cref="ClusterScenario.Bound"/>; a rolling SIGTERM restart stalls no read
/// model for longer.
/// </summary>
public sealed class HotColdClusterTests(PostgresFixture postgres, ITestOutputHelper output)
    : ClusterScenario(postgres, output), IClassFixture<PostgresFixture>
{
    [Fact]
    public Task three_replicas_with_the_lock_holder_killed_fail_over_within_the_bound() =>
        RunAsync("HotCold", async cluster =>
        {
            for (var round = 1; round <= Rounds; round++)
            {
                var victim = await BusiestHolderAsync(cluster, round);
                var failover = await FaultAsync(cluster, ClusterProbe.ReadModels, victim.KillAsync, $"round {round}: SIGKILL {victim.Name}");
                cluster.Record("HotCold", "SIGKILL holder", failover);
                await cluster.ConvergeAsync($"round {round}: after {victim.Name} was killed");
                cluster.Replace(victim);
                await cluster.WaitForNodesAsync();
            }
        });

    [Fact]
    public Task a_frozen_lock_holder_loses_its_locks_within_the_bound_and_rejoins_as_a_standby_when_it_resumes() =>
        RunAsync("HotCold", async cluster =>
        {
            for (var round = 1; round <= Rounds; round++)
            {
                var victim = await BusiestHolderAsync(cluster, round);
                var frozenFor = Stopwatch.StartNew();
                var failover = await FaultAsync(cluster, ClusterProbe.ReadModels, victim.FreezeAsync, $"round {round}: SIGSTOP {victim.Name}");
                cluster.Record("HotCold", "SIGSTOP holder", failover);
                var holders = await cluster.Probe.AdvisoryLockHoldersAsync(cluster.Names);
                Output.WriteLine($"round {round}: now applied by {Describe(await cluster.Probe.CheckpointWritersAsync())}, locks held by {string.Join(", ", holders)}");
                Assert.DoesNotContain(victim.Name, holders);
                // it resumes with its sessions gone (a stale batch in hand, fenced by the conditional checkpoint) and stands by
                await StayFrozenAsync(frozenFor, failover);
                await victim.ThawAsync();
                Output.WriteLine($"round {round}: SIGCONT {victim.Name} after {frozenFor.Elapsed.TotalSeconds:0.0} s");
                await cluster.ConvergeAsync($"round {round}: after {victim.Name} resumed");
                // it rejoined: it holds a lease again
                await Eventually.Until(() => cluster.Probe.LeaseHolderAsync(victim.Name), held => held, Timeout, $"{victim.Name} to hold a lease again");
            }
        });

    [Fact]
    public Task a_rolling_restart_of_every_node_stalls_no_read_model_beyond_the_bound() =>
        RunAsync("HotCold", async cluster =>
        {
            for (var round = 1; round <= Rounds; round++)
                await RollingRestartAsync(cluster, "HotCold", round);
        });

    /// <summary>
    /// The node to fault: of the nodes holding advisory locks, the one that last applied the most read models (from the
    /// checkpoint trace), then the one holding the most locks.
    /// </summary>
    private async Task<ServeNode> BusiestHolderAsync(Cluster cluster, int round)
    {
        var holders = await Eventually.Until(() => cluster.Probe.AdvisoryLockHoldersAsync(cluster.Names), h => h.Count > 0, Timeout, "a lock holder");
        var writers = await cluster.Probe.CheckpointWritersAsync();
        var chosen = holders.GroupBy(h => h, StringComparer.Ordinal)
            .OrderByDescending(g => writers.Values.Count(w => w == g.Key)).ThenByDescending(g => g.Count()).First().Key;
        Output.WriteLine($"round {round}: advisory locks held by {string.Join(", ", holders)}; read models applied by {Describe(writers)}; fault on {chosen}");
        return cluster.Named(chosen);
    }
}
