namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>Exponential backoff with "equal jitter": half the capped exponential delay plus a random half.</summary>
internal static class Backoff
{
    /// <param name="attempt">The attempt that just failed, starting at 1.</param>
    /// <param name="random">A value in [0, 1).</param>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponential = initial.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, max.Ticks);
        return TimeSpan.FromTicks((long)(capped / 2 + capped / 2 * random));
    }
}
