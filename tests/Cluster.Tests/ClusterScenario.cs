using System.Diagnostics;
using System.Globalization;
using EventSourcing.TestInfrastructure;
using Xunit.Abstractions;

namespace EventSourcing.Cluster.Tests;

/// <summary>
/// What the scenarios share: three real <c>serve</c> processes of the sample on one PostgreSQL (a schema of their own), orders
/// written throughout straight through the event store, a fault, and a measure of how long until the read models move again.
/// After each scenario every read model reaches the head of the log, equals a fold of <c>mt_events</c> written here and holds
/// every acknowledged order (<see cref="Cluster"/>'s disposal). Every node's lease (<c>Orders:StaleNodeTimeout</c>) is
/// <see cref="StaleNodeTimeout"/>. <c>CLUSTER_SOAK=N</c> repeats each fault N times; <c>CLUSTER_SEED</c> fixes the orders.
/// The scenarios run one at a time (one collection): several clusters at once on a 2-core machine would measure the machine.
/// </summary>
[Collection(nameof(ClusterScenario))]
public abstract class ClusterScenario(PostgresFixture postgres, ITestOutputHelper output)
{
    /// <summary>The nodes' host lease and Wolverine stale-node timeout; renewals, heartbeats and assignment checks every 0.6 s.</summary>
    protected static readonly TimeSpan StaleNodeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A node dead or silent, in every mode: the lease (3 s) + a peer's check that takes it for dead and ends its sessions + a
    /// leadership poll or an assignment check (0.6 s) + the agent's start, with room for a 2-core machine shared with builds.
    /// </summary>
    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    protected ITestOutputHelper Output { get; } = output;

    protected static int Rounds => int.TryParse(Environment.GetEnvironmentVariable("CLUSTER_SOAK"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;

    /// <summary>Starts a cluster, runs the scenario, and verifies the read models against the fold unless the scenario failed.</summary>
    private protected async Task RunAsync(string distribution, Func<Cluster, Task> scenario)
    {
        var seed = Environment.GetEnvironmentVariable("CLUSTER_SEED") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : Random.Shared.Next();
        Output.WriteLine($"{distribution}: seed {seed} (CLUSTER_SEED={seed} repeats the orders), {Rounds} round(s)");
        await using var cluster = new Cluster(postgres, Output, distribution, seed, StaleNodeTimeout);
        try
        {
            await cluster.StartAsync();
            await scenario(cluster);
        }
        catch
        {
            cluster.SkipVerification();
            throw;
        }
    }

    /// <summary>
    /// Applies the fault and measures until each of <paramref name="readModels"/> has applied an event appended after the fault
    /// (past the head as it was just after it), and <paramref name="also"/> (when given) holds; asserts that took less than
    /// <see cref="Bound"/>.
    /// </summary>
    private protected async Task<TimeSpan> FaultAsync(Cluster cluster, IReadOnlyCollection<string> readModels, Func<Task> fault, string what,
        Func<Task<bool>>? also = null, string? alsoWhat = null)
    {
        var before = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in ClusterProbe.ReadModels)
            before[name] = await cluster.Probe.CheckpointAsync(name);
        // events that wait past the fault: the writer appends throughout, so "advanced" means a node applies them after the fault
        await Eventually.Until(cluster.Probe.HeadAsync, h => h > before.Values.Max() + 10, Timeout, "events to wait");
        var clock = Stopwatch.StartNew();
        await fault();
        var head = await cluster.Probe.HeadAsync();
        Output.WriteLine($"{what}: {await cluster.Probe.CheckpointsAsync()}");
        if (also is not null)
        {
            await Eventually.Until(also, Bound * 2, $"{alsoWhat} after '{what}' ({cluster.Tails()})");
            Output.WriteLine($"{what}: {alsoWhat} after {clock.Elapsed.TotalSeconds:0.0} s");
        }

        foreach (var name in readModels)
        {
            // an event appended after the fault applied: the victim, frozen or dead, cannot have applied it
            await Eventually.Until(() => cluster.Probe.CheckpointAsync(name), c => c > head, Bound * 2,
                $"{name} to move on after '{what}' ({cluster.Tails()})");
        }

        var elapsed = clock.Elapsed;
        Output.WriteLine($"{what}: read model(s) {string.Join(", ", readModels)} moving again after {elapsed.TotalSeconds:0.0} s (bound {Bound.TotalSeconds:0} s)");
        Assert.True(elapsed < Bound, $"{what}: failover took {elapsed.TotalSeconds:0.0} s, over the bound of {Bound.TotalSeconds:0} s");
        return elapsed;
    }

    /// <summary>Waits until the freeze has lasted well past the takeover (<paramref name="failover"/>), so the node resumes with a stale batch in hand.</summary>
    protected static Task StayFrozenAsync(Stopwatch frozenFor, TimeSpan failover) =>
        Eventually.Until(() => Task.FromResult(frozenFor.Elapsed > failover + StaleNodeTimeout * 2), Timeout, "the freeze to last");

    /// <summary>
    /// SIGTERMs each of the three nodes in turn, as an orchestrator rolls a deployment: waits for its exit, starts its
    /// replacement and waits until that is up (holds its host lease; Wolverine: registered) before the next. Meanwhile every read
    /// model's checkpoint is sampled: the longest time each stood still while events waited is printed, recorded and asserted
    /// under <see cref="Bound"/>.
    /// </summary>
    private protected async Task RollingRestartAsync(Cluster cluster, string mode, int round)
    {
        await using var meter = new StallMeter(cluster.Probe);
        foreach (var node in cluster.Nodes)
        {
            var clock = Stopwatch.StartNew();
            await cluster.RestartAsync(node);
            Output.WriteLine($"round {round}: {node.Name} restarted (SIGTERM, exit, replacement up) in {clock.Elapsed.TotalSeconds:0.0} s; " +
                             await cluster.Probe.CheckpointsAsync());
        }

        await cluster.ConvergeAsync($"round {round}: after the rolling restart");
        var stalls = meter.Longest;
        foreach (var (name, stall) in stalls)
        {
            Output.WriteLine($"round {round}: rolling restart: {name} stood still at most {stall.TotalSeconds:0.0} s while events waited (bound {Bound.TotalSeconds:0} s)");
            cluster.Record(mode, "rolling restart, longest stall", stall);
        }

        foreach (var (name, stall) in stalls)
            Assert.True(stall < Bound, $"round {round}: rolling restart: {name} stood still {stall.TotalSeconds:0.0} s while events waited, over the bound of {Bound.TotalSeconds:0} s");
    }

    protected static string Describe<T>(Dictionary<string, T> owners) =>
        string.Join(" ", owners.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}@{o.Value}"));
}

[CollectionDefinition(nameof(ClusterScenario))]
public sealed class ClusterScenarioCollection;
