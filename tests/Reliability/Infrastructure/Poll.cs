namespace EventSourcing.Reliability.Infrastructure;

/// <summary>
/// Waits for a condition with a deadline, probing every few milliseconds without backing off: for aiming
/// a kill at a point of a fast process (a checkpoint passing a sequence, a rebuild table filling), where
/// <c>Eventually</c>'s growing pause would only ever see the end.
/// </summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (true)
        {
            var last = await probe();
            if (done(last))
                return last;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; last value: {last}");
            await timer.WaitForNextTickAsync();
        }
    }
}
