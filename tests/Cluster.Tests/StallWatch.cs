using System.Diagnostics;

namespace EventSourcing.Cluster.Tests;

/// <summary>
/// Samples every read model's checkpoint and the log's head in the background and keeps, per read model, the longest time its
/// checkpoint stood still while events waited (a checkpoint at or past the head is not stalled: nothing waits).
/// </summary>
internal sealed class StallWatch : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    private readonly ClusterProbe _probe;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, TimeSpan> _longest = new(StringComparer.Ordinal);
    private readonly Task _watching;

    private StallWatch(ClusterProbe probe)
    {
        _probe = probe;
        _watching = WatchAsync();
    }

    public static StallWatch Start(ClusterProbe probe) => new(probe);

    private async Task WatchAsync()
    {
        var clock = Stopwatch.StartNew();
        var last = new Dictionary<string, (long Checkpoint, TimeSpan MovingAt)>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(Period);
        while (!_stop.IsCancellationRequested)
        {
            foreach (var name in ClusterProbe.ReadModels)
            {
                // the head first: a checkpoint read afterwards that reaches it had nothing waiting
                var head = await _probe.HeadAsync();
                var checkpoint = await _probe.CheckpointAsync(name);
                var now = clock.Elapsed;
                if (!last.TryGetValue(name, out var seen) || checkpoint != seen.Checkpoint || checkpoint >= head)
                    last[name] = seen = (checkpoint, now);
                lock (_longest)
                {
                    if (now - seen.MovingAt > _longest.GetValueOrDefault(name))
                        _longest[name] = now - seen.MovingAt;
                }
            }

            try
            {
                await timer.WaitForNextTickAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Stops sampling; read model -> the longest time its checkpoint stood still while events waited.</summary>
    public async Task<IReadOnlyDictionary<string, TimeSpan>> StopAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        lock (_longest)
            return ClusterProbe.ReadModels.ToDictionary(n => n, n => _longest.GetValueOrDefault(n), StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watching;
        }
        finally
        {
            _stop.Dispose();
        }
    }
}
