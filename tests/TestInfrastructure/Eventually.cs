using System.Diagnostics;

namespace EventSourcing.TestInfrastructure;

/// <summary>Waits for a condition with a deadline: the only way tests wait.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(10);
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
                return last;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; last value: {last}");
            using var poll = new PeriodicTimer(pause);
            await poll.WaitForNextTickAsync();
            if (pause < TimeSpan.FromMilliseconds(200))
                pause *= 2;
        }
    }

    public static Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        Until(condition, ok => ok, timeout, what);
}
