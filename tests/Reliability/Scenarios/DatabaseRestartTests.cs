using EventSourcing.Reliability.Infrastructure;
using EventSourcing.Reliability.Load;
using EventSourcing.TestInfrastructure;
using Xunit.Abstractions;

namespace EventSourcing.Reliability.Scenarios;

/// <summary>
/// Scenario 3: four HTTP writers run against the service while the suite's PostgreSQL cluster is restarted
/// with <c>pg_ctl restart -m immediate</c> (every backend killed, crash recovery from the WAL) at random
/// points. Every acknowledged write must be in the log and in the read models; the service must take
/// writes again after each restart; the read models must equal the fold of the log.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class DatabaseRestartTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task acknowledged_writes_survive_immediate_database_restarts_under_write_load()
    {
        await using var scenario = await Scenario.StartAsync(fixture, output, "pg_restart");
        var restarts = 3 * SuiteSettings.Scale;
        var ledger = new WriteLedger();
        var service = await scenario.ServeAsync();
        await using var writes = Workload.Start(service.BaseAddress!, scenario.NewStreams(), ledger, writers: 4);

        for (var restart = 1; restart <= restarts; restart++)
        {
            // restart after a random number of further acknowledged writes: the service must be taking writes again
            var target = ledger.Acknowledged.Count + scenario.Random.Next(50, 250);
            await Eventually.Until(() => Task.FromResult(ledger.Acknowledged.Count), n => n >= target, TimeSpan.FromMinutes(2),
                $"the service to acknowledge writes again (restart {restart}; writes so far: {ledger})");
            await scenario.Cluster.RestartImmediateAsync();
            scenario.Log($"restart {restart}/{restarts} after {ledger}");
        }

        var last = ledger.Acknowledged.Count + 100;
        await Eventually.Until(() => Task.FromResult(ledger.Acknowledged.Count), n => n >= last, TimeSpan.FromMinutes(2),
            $"the service to acknowledge writes after the last restart (writes so far: {ledger})");
        await writes.StopAsync();
        Assert.False(service.HasExited, $"the service died: {service.RecentOutput}");
        await scenario.VerifyAsync(ledger, searches: null);
    }
}
