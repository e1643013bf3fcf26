using EventSourcing.Reliability.Infrastructure;
using EventSourcing.Reliability.Load;
using EventSourcing.Reliability.Verification;
using EventSourcing.TestInfrastructure;
using Xunit.Abstractions;

namespace EventSourcing.Reliability.Scenarios;

/// <summary>
/// Scenario 1: a pure API node takes writes the whole time; a daemon node is started, SIGKILLed at a random
/// point of its catch-up (once its checkpoint passed a random sequence between where it stood and the head of
/// the log), and started again, N times. Afterwards the read models must equal the fold of the log.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class CatchUpKillTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task read_models_killed_at_random_points_of_catch_up_converge_to_the_fold_of_the_log()
    {
        await using var scenario = await Scenario.StartAsync(fixture, output, "catchup_kill");
        var kills = 5 * SuiteSettings.Scale;
        var ledger = new WriteLedger();
        var api = await scenario.ServeAsync(runProjections: false);
        await scenario.LoadAsync(api.BaseAddress!, ledger, 2000 * SuiteSettings.Scale, writers: 6);

        await using var writes = Workload.Start(api.BaseAddress!, scenario.NewStreams(), ledger, writers: 2);
        await using var database = scenario.NewDataSource();
        var midCatchUp = 0;
        for (var kill = 1; kill <= kills; kill++)
        {
            var before = await ReadModels.ProgressAsync(database);
            var from = before.Checkpoints.Values.Min();
            if (before.Head - from < 200)
            {
                // let the writers build a backlog first, so there is a catch-up to interrupt
                before = await Eventually.Until(() => ReadModels.ProgressAsync(database), p => p.Head - from >= 200,
                    TimeSpan.FromMinutes(2), "a backlog of 200 events for the daemon");
            }

            var target = from + (long)(scenario.Random.NextDouble() * (before.Head - from));
            var daemon = scenario.Launch();
            var at = await Poll.UntilAsync(() => ReadModels.ProgressAsync(database),
                p => daemon.HasExited || p.Checkpoints.Values.Min() >= target, TimeSpan.FromMinutes(2),
                $"the daemon's checkpoint to pass #{target}");
            Assert.False(daemon.HasExited, $"the daemon exited by itself with {(daemon.HasExited ? daemon.ExitCode : 0)}:\n{daemon.RecentOutput}");
            await daemon.KillAsync();
            var after = await ReadModels.ProgressAsync(database);
            // behind the newest committed event when it died (the high-water mark may be as stale as the killed daemon that set it)
            var interrupted = after.Checkpoints.Values.Min() < after.Head;
            if (interrupted)
                midCatchUp++;
            scenario.Log($"kill {kill}/{kills}: target #{target}, killed at {after}{(interrupted ? " (mid catch-up)" : "")}");
        }

        await writes.StopAsync();
        scenario.Log($"{midCatchUp} of {kills} kills landed mid catch-up; writes: {ledger}");
        Assert.True(midCatchUp > 0, $"no kill landed while the daemon was behind (seed {scenario.Seed}): the scenario tested nothing");

        await scenario.ServeAsync();
        await scenario.VerifyAsync(ledger, searches: null);
    }
}
