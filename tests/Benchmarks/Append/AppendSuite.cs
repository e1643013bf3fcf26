using EventSourcing.Benchmarks.Harness;

namespace EventSourcing.Benchmarks.Append;

/// <summary>
/// <c>append</c>: batch-append (ours vs plain Marten quick append), commands at 1/8/32 writers (ours vs raw
/// Npgsql single-row transactions) and snapshot-load (10,000-event stream with a snapshot vs a 10-event stream).
/// </summary>
public sealed class AppendSuite : IBenchmarkSuite
{
    public string Suite => "append";

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = new List<ScenarioResult>();
        results.Add(await BatchAppendScenario.RunAsync(context, cancellationToken));
        BenchmarkContext.Progress($"[{clock.Elapsed.TotalSeconds:0} s]");
        results.AddRange(await CommandsScenario.RunAsync(context, cancellationToken));
        BenchmarkContext.Progress($"[{clock.Elapsed.TotalSeconds:0} s]");
        results.AddRange(await SnapshotLoadScenario.RunAsync(context, cancellationToken));
        BenchmarkContext.Progress($"[{clock.Elapsed.TotalSeconds:0} s]");
        return results;
    }
}
