using System.Diagnostics;
using EventSourcing.Reliability.Infrastructure;
using EventSourcing.Reliability.Load;
using Xunit.Abstractions;

namespace EventSourcing.Reliability.Scenarios;

/// <summary>
/// Scenario 4: <c>projections rebuild --all --wait</c> runs again and again (at least 10 times a run) while
/// four HTTP writers change orders and three searchers check every answer. Nothing written meanwhile may be
/// lost at the hand-over, and search must stay online, complete and consistent throughout.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class RebuildUnderWritesTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task rebuilds_raced_by_writers_and_searchers_lose_nothing_and_keep_search_consistent()
    {
        await using var scenario = await Scenario.StartAsync(fixture, output, "rebuild_writes");
        var rebuilds = 10 * SuiteSettings.Scale;
        var ledger = new WriteLedger();
        var searches = new SearchLog();
        var service = await scenario.ServeAsync();
        await scenario.LoadAsync(service.BaseAddress!, ledger, 300);

        var failures = new List<string>();
        await using (var load = Workload.Start(service.BaseAddress!, scenario.NewStreams(), ledger, writers: 4, searches, searchers: 3, pace: TimeSpan.FromMilliseconds(75)))
        {
            for (var rebuild = 1; rebuild <= rebuilds; rebuild++)
            {
                var clock = Stopwatch.StartNew();
                var cli = scenario.Command("projections", "rebuild", "--all", "--wait");
                var exit = await cli.WaitAsync(TimeSpan.FromMinutes(3));
                scenario.Log($"rebuild {rebuild}/{rebuilds}: exit {exit} in {clock.Elapsed.TotalSeconds:0.0} s; writes: {ledger}; {searches}");
                if (exit != 0)
                    failures.Add($"rebuild {rebuild} exited with {exit}:\n{cli.RecentOutput}");
            }

            await load.StopAsync();
        }

        await scenario.VerifyAsync(ledger, searches, failures);
    }
}
