using System.Diagnostics;
using EventSourcing.Reliability.Load;
using EventSourcing.Reliability.Verification;
using EventSourcing.TestInfrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EventSourcing.Reliability.Infrastructure;

/// <summary>
/// One scenario run: its seed (printed first, so a failure can be replayed), a fresh database on the
/// suite's cluster, the service processes it started (killed at the end), a log with timestamps, and the
/// final verification.
/// </summary>
public sealed class Scenario : IAsyncDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<ServiceProcess> _processes = [];

    private Scenario(string name, int seed, string connectionString, PostgresCluster cluster, ITestOutputHelper output)
    {
        Name = name;
        Seed = seed;
        ConnectionString = connectionString;
        Cluster = cluster;
        _output = output;
        Random = new Random(seed);
    }

    public string Name { get; }

    public int Seed { get; }

    /// <summary>The scenario's own choices (kill points, targets); writers and searchers get their own streams.</summary>
    public Random Random { get; }

    public string ConnectionString { get; }

    public PostgresCluster Cluster { get; }

    public static async Task<Scenario> StartAsync(ClusterFixture fixture, ITestOutputHelper output, string name)
    {
        var seed = SuiteSettings.NewSeed();
        var scenario = new Scenario(name, seed, await fixture.NewDatabaseAsync(name), fixture.Cluster, output);
        await ServiceHttp.EnsureTokenAsync(scenario.ConnectionString);
        scenario.Log($"seed {seed} (replay: {SuiteSettings.SeedVariable}={seed}), scale x{SuiteSettings.Scale}, cluster port {fixture.Cluster.Port}");
        return scenario;
    }

    private int _workloads;

    /// <summary>
    /// Random streams for one workload (stream 100 + i for writer i, 200 + i for searcher i), different for each
    /// workload of the scenario: two workloads with the same streams would send the same Idempotency-Keys.
    /// </summary>
    public Func<int, Random> NewStreams()
    {
        var workload = ++_workloads;
        return stream => new Random(unchecked(Seed * 7919 + workload * 1009 + stream));
    }

    public void Log(string line) => _output.WriteLine($"[{Name} {_clock.Elapsed.TotalSeconds,6:0.0}s] {line}");

    /// <summary>A fresh data source: after a server restart the old pool's connections are dead.</summary>
    public NpgsqlDataSource NewDataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async Task<ServiceProcess> ServeAsync(bool runProjections = true) => Track(await ServiceProcess.ServeAsync(ConnectionString, runProjections));

    public ServiceProcess Launch(bool runProjections = true) => Track(ServiceProcess.Launch(ConnectionString, runProjections));

    public ServiceProcess Command(params string[] arguments) => Track(ServiceProcess.Command(ConnectionString, arguments));

    /// <summary>Writes through <paramref name="service"/> until the log holds at least <paramref name="events"/> more acknowledged writes.</summary>
    public async Task LoadAsync(Uri service, WriteLedger ledger, int events, int writers = 4)
    {
        var target = ledger.Acknowledged.Count + events;
        await using var load = Workload.Start(service, NewStreams(), ledger, writers);
        await Eventually.Until(() => Task.FromResult(ledger.Acknowledged.Count), n => n >= target, TimeSpan.FromMinutes(5),
            $"{events} acknowledged writes (writes so far: {ledger})");
        await load.StopAsync();
        Log($"loaded: {ledger}");
    }

    /// <summary>Runs every check and fails with all that failed; the log and the message carry the seed and the counts.</summary>
    public async Task VerifyAsync(WriteLedger? ledger, SearchLog? searches, IReadOnlyList<string>? scenarioFailures = null)
    {
        await using var database = NewDataSource();
        var report = await Verifier.VerifyAsync(database, ledger, searches, TimeSpan.FromSeconds(120));
        if (scenarioFailures is { Count: > 0 })
            report = report with { Failures = [.. scenarioFailures, .. report.Failures] };
        var description = report.Describe(Name, Seed);
        Log(description);
        Assert.True(report.Failures.Count == 0, description);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
            await process.DisposeAsync();
    }

    private ServiceProcess Track(ServiceProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
