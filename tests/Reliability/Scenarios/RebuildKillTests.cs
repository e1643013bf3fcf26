using EventSourcing.Reliability.Infrastructure;
using EventSourcing.Reliability.Load;
using EventSourcing.Reliability.Verification;
using EventSourcing.TestInfrastructure;
using Xunit.Abstractions;

namespace EventSourcing.Reliability.Scenarios;

/// <summary>
/// Scenario 2: <c>projections rebuild --all --wait</c> is SIGKILLed at a random point (once the new
/// version's table holds a random share of the orders, or after the pass), together with or instead of the
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
        await scenario.LoadAsync(service.BaseAddress!, ledger, 1500 * SuiteSettings.Scale);
        await using var database = scenario.NewDataSource();
        var orders = (await EventLog.ReadAsync(database)).Count(e => e.Type.StartsWith("order.placed", StringComparison.Ordinal));

        for (var kill = 1; kill <= kills; kill++)
        {
            var live = await RebuildTables.LiveVersionAsync(database, ReadModels.OrderSearch);
            var share = scenario.Random.NextDouble() * 1.2;
            var victim = Victims[scenario.Random.Next(Victims.Length)];
            var rebuild = scenario.Command("projections", "rebuild", "--all", "--wait");
            var rows = await Poll.UntilAsync(() => RebuildTables.RowsAsync(database, ReadModels.OrderSearch, live + 1),
                n => rebuild.HasExited || n >= share * orders, TimeSpan.FromMinutes(2),
                $"the rebuild to write {share:P0} of {orders} orders");
            if (victim is "rebuild" or "both")
                await rebuild.KillAsync();
            if (victim is "service" or "both")
            {
                await service.KillAsync();
                service = await scenario.ServeAsync();
            }

            var swapped = await RebuildTables.LiveVersionAsync(database, ReadModels.OrderSearch);
            scenario.Log($"kill {kill}/{kills}: {victim} killed with {rows} of {orders} rows in version {live + 1}"
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
