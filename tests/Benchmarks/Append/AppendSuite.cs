using EventSourcing.Benchmarks.Harness;

namespace EventSourcing.Benchmarks.Append;

/// <summary>
/// <c>append</c>, in three parts that run in this order (each can run alone with <c>--scenario=NAME</c>):
/// batch-append (ours vs plain Marten quick append), commands at 1/8/32 writers (ours vs raw Npgsql single-row
/// transactions) and snapshot-load (10,000-event stream with a snapshot vs a 10-event stream).
/// </summary>
public sealed class AppendSuite : IBenchmarkSuite
{
    public string Suite => "append";

    public IReadOnlyCollection<string> Scenarios => ["batch-append"];

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken) =>
        [await BatchAppendScenario.RunAsync(context, cancellationToken)];
}

/// <summary><c>append</c>, second part: <c>commands-1</c>, <c>commands-8</c> and <c>commands-32</c>.</summary>
public sealed class CommandsPart : IBenchmarkSuite
{
    public string Suite => "append";

    public int Order => 10;

    public IReadOnlyCollection<string> Scenarios => ["commands-1", "commands-8", "commands-32"];

    public Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken) =>
        CommandsScenario.RunAsync(context, cancellationToken);
}

/// <summary><c>append</c>, third part: <c>snapshot-load</c> and its notes.</summary>
public sealed class SnapshotLoadPart : IBenchmarkSuite
{
    public string Suite => "append";

    public int Order => 20;

    public IReadOnlyCollection<string> Scenarios => ["snapshot-load", "snapshot-load-uncached", "load-10k-no-snapshot"];

    public Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken) =>
        SnapshotLoadScenario.RunAsync(context, cancellationToken);
}
