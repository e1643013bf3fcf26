namespace EventSourcing.Benchmarks.Harness;

public static class Percentiles
{
    /// <summary>The p-th percentile (0..100) of the samples, nearest-rank.</summary>
    public static double Of(IReadOnlyCollection<double> samples, double p)
    {
        if (samples.Count == 0)
            return double.NaN;
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
