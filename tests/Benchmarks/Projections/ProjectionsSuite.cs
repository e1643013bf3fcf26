using EventSourcing.Benchmarks.Harness;

namespace EventSourcing.Benchmarks.Projections;

/// <summary>
/// <c>projections</c>, first part: catch-up-pg and rebuild (the freshness part adds freshness-p99, the Elasticsearch
/// part es-sink-cpu); each part can run alone with <c>--scenario=NAME</c>.
/// </summary>
public sealed class ProjectionsSuite : IBenchmarkSuite
{
    public string Suite => "projections";

    public IReadOnlyCollection<string> Scenarios => ["catch-up-pg", "rebuild"];

    public Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken) =>
        CatchUpScenarios.RunAsync(context, cancellationToken);
}

/// <summary><c>projections</c>, second part: freshness-p99.</summary>
public sealed class FreshnessPart : IBenchmarkSuite
{
    public string Suite => "projections";

    public int Order => 10;

    public IReadOnlyCollection<string> Scenarios => ["freshness-p99"];

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken) =>
        [await FreshnessScenario.RunAsync(context, cancellationToken)];
}
