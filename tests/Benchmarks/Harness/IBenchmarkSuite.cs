namespace EventSourcing.Benchmarks.Harness;

/// <summary>
/// One part of a benchmark suite. Several classes may share a <see cref="Suite"/> name: their
/// scenarios are reported together (e.g. the ES sink adds <c>es-sink-cpu</c> to <c>projections</c>).
/// Every scenario runs its baseline in the same process, so the ratio survives a noisy machine.
/// </summary>
public interface IBenchmarkSuite
{
    /// <summary>The suite name given on the command line: append, projections, publish.</summary>
    string Suite { get; }

    /// <summary>Order of this part inside its suite (lower runs first).</summary>
    int Order => 0;

    /// <summary>The scenarios this part measures, for <c>--scenario=NAME</c>; parts that declare none run only without a filter.</summary>
    IReadOnlyCollection<string> Scenarios => [];

    Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken);
}
