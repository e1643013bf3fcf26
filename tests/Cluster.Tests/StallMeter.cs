using System.Diagnostics;

namespace EventSourcing.Cluster.Tests;

/// <summary>
/// Samples every read model's checkpoint and the log's head every 100 ms while it runs and keeps, per read model, the longest
/// time its checkpoint stood still while events waited for it: what a rolling restart costs the readers.
/// </summary>
internal sealed class StallMeter : IAsyncDisposable
{
    private readonly ClusterProbe _probe;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, TimeSpan> _longest = new(StringComparer.Ordinal);
    private readonly Task _sampling;

    public StallMeter(ClusterProbe probe)
    {
        _probe = probe;
        _sampling = Task.Run(SampleAsync, CancellationToken.None);
    }

    private async Task SampleAsync()
    {
        var since = new Dictionary<string, (long Checkpoint, Stopwatch Still)>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await timer.WaitForNextTickAsync(CancellationToken.None) && !_stop.IsCancellationRequested)
        {
            foreach (var name in ClusterProbe.ReadModels)
            {
                // the head first: a checkpoint read afterwards that reaches it had nothing waiting
                var head = await _probe.HeadAsync();
                var checkpoint = await _probe.CheckpointAsync(name);
                if (!since.TryGetValue(name, out var last) || last.Checkpoint != checkpoint || head <= checkpoint)
                {
                    since[name] = (checkpoint, Stopwatch.StartNew());
                    continue;
                }

                lock (_longest)
                    _longest[name] = _longest.TryGetValue(name, out var longest) && longest > last.Still.Elapsed ? longest : last.Still.Elapsed;
            }
        }
    }

    /// <summary>Read model -> the longest time it stood still with events waiting, so far.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Longest
    {
        get
        {
            lock (_longest)
                return ClusterProbe.ReadModels.ToDictionary(n => n, n => _longest.GetValueOrDefault(n), StringComparer.Ordinal);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
