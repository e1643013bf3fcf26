using EventSourcing.Reliability.Infrastructure;
using EventSourcing.Reliability.Load;
using EventSourcing.Reliability.Verification;
using EventSourcing.TestInfrastructure;
using Xunit.Abstractions;

namespace EventSourcing.Reliability.Scenarios;

/// <summary>
/// Scenario 2: <c>projections rebuild --all --wait</c> is SIGKILLed at a random point of its life (a random
/// share, 0-110 %, of how long a whole rebuild took at the start), together with or instead of the
/// service whose daemon swaps it in; the service is restarted, the rebuild runs again to the end, and the
/// read models must equal the fold of the log, every time.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class RebuildKillTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] Victims = ["rebuild", "service", "both"];

    [Fact]
    public async Task rebuilds_killed_at_random_points_then_run_again_converge_to_the_fold_of_the_log()
    {
        await using var scenario = await Scenario.StartAsync(fixture, output, "rebuild_kill");
        var kills = 3 * SuiteSettings.Scale;
        var ledger = new WriteLedger();
        var service = await scenario.ServeAsync();
        await scenario.LoadAsync(service.BaseAddress!, ledger, 1000 * SuiteSettings.Scale);
        await using var database = scenario.NewDataSource();
        var orders = (await EventLog.ReadAsync(database)).Count(e => e.Type.StartsWith("order.placed", StringComparison.Ordinal));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var baseline = scenario.Command("projections", "rebuild", "--all", "--wait");
        Assert.Equal(0, await baseline.WaitAsync(TimeSpan.FromMinutes(3)));
        var whole = clock.Elapsed;
        scenario.Log($"a whole rebuild of {orders} orders takes {whole.TotalSeconds:0.0} s");

        for (var kill = 1; kill <= kills; kill++)
        {
            var live = await RebuildTables.LiveVersionAsync(database, ReadModels.OrderSearch);
            var killAt = whole * (scenario.Random.NextDouble() * 1.1);
            var victim = Victims[scenario.Random.Next(Victims.Length)];
            var rebuild = scenario.Command("projections", "rebuild", "--all", "--wait");
            clock.Restart();
            var rows = await Poll.UntilAsync(() => RebuildTables.RowsAsync(database, ReadModels.OrderSearch, live + 1),
                _ => rebuild.HasExited || clock.Elapsed >= killAt, TimeSpan.FromMinutes(2),
                $"{killAt.TotalSeconds:0.00} s of the rebuild");
            if (victim is "rebuild" or "both")
                await rebuild.KillAsync();
            if (victim is "service" or "both")
            {
                await service.KillAsync();
                service = await scenario.ServeAsync();
            }

            var swapped = await RebuildTables.LiveVersionAsync(database, ReadModels.OrderSearch);
            scenario.Log($"kill {kill}/{kills}: {victim} killed after {clock.Elapsed.TotalSeconds:0.00} s, with {rows} of {orders} rows in version {live + 1}"
                         + $" (live version {swapped}{(rebuild.HasExited && victim == "service" ? ", the rebuild had finished" : "")})");
            if (!rebuild.HasExited)
                Assert.Equal(0, await rebuild.WaitAsync(TimeSpan.FromMinutes(3)));

            var again = scenario.Command("projections", "rebuild", "--all", "--wait");
            var exit = await again.WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(exit == 0, $"the rebuild after the kill exited with {exit}:\n{again.RecentOutput}");
            await scenario.VerifyAsync(ledger, searches: null);
        }
    }
}
