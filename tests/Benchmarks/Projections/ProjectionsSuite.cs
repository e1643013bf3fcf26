using EventSourcing.Benchmarks.Harness;

namespace EventSourcing.Benchmarks.Projections;

/// <summary><c>projections</c>: catch-up-pg, rebuild and freshness-p99 (the Elasticsearch part adds es-sink-cpu).</summary>
public sealed class ProjectionsSuite : IBenchmarkSuite
{
    public string Suite => "projections";

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var results = new List<ScenarioResult>();
        results.AddRange(await CatchUpScenarios.RunAsync(context, cancellationToken));
        results.Add(await FreshnessScenario.RunAsync(context, cancellationToken));
        return results;
    }
}
