using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EventSourcing.EventStore.Snapshots;

/// <summary>
/// Writes snapshots in the background, off the append path. Requests for the same stream coalesce to
/// the newest; a failed write is logged and retried with the configured delays, then dropped (the next
/// load that finds the snapshot behind asks again). Enqueueing never blocks and never throws.
/// </summary>
internal sealed class SnapshotWriter : IAsyncDisposable
{
    private readonly SnapshotStore _store;
    private readonly SnapshotOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(Guid, string), SnapshotRequest> _pending = new();
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _written;
    private long _failed;
    private int _busy;

    private readonly Action<SnapshotRequest> _onWritten;

    public SnapshotWriter(SnapshotStore store, SnapshotOptions options, ILogger logger, Action<SnapshotRequest> onWritten)
    {
        _onWritten = onWritten;
        _store = store;
        _options = options;
        _logger = logger;
        _loop = Task.Run(() => RunAsync(_stopping.Token), _stopping.Token);
    }

    public long Written => Interlocked.Read(ref _written);

    public long Failed => Interlocked.Read(ref _failed);

    public int Pending => _pending.Count;

    public void Enqueue(SnapshotRequest request)
    {
        if (_stopping.IsCancellationRequested)
            return;
        if (_pending.Count >= _options.MaxPending && !_pending.ContainsKey((request.StreamId, request.Aggregate)))
        {
            _logger.LogWarning("snapshot queue full ({Count}); dropping snapshot of {Aggregate} {StreamId} v{Version}",
                _pending.Count, request.Aggregate, request.StreamId, request.Version);
            return;
        }

        _pending.AddOrUpdate((request.StreamId, request.Aggregate), request,
            (_, existing) => existing.Version > request.Version && existing.SchemaVersion == request.SchemaVersion ? existing : request);
        _signal.Writer.TryWrite(true);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (await _signal.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                _signal.Reader.TryRead(out _);
                await DrainAsync(ct).ConfigureAwait(false);
            }

            await DrainAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task DrainAsync(CancellationToken ct)
    {
        foreach (var key in _pending.Keys.ToArray())
        {
            if (_pending.TryRemove(key, out var request))
                await WriteWithRetriesAsync(request, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until every snapshot requested so far was written or given up (tests, shutdown).</summary>
    public Task FlushAsync(TimeSpan timeout, CancellationToken ct) =>
        Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            var deadline = DateTimeOffset.UtcNow + timeout;
            while ((!_pending.IsEmpty || _busy > 0) && DateTimeOffset.UtcNow < deadline)
                await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
        }, ct);

    private async Task WriteWithRetriesAsync(SnapshotRequest request, CancellationToken ct)
    {
        Interlocked.Increment(ref _busy);
        try
        {
            await WriteOnceOrRetryAsync(request, ct).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _busy);
        }
    }

    private async Task WriteOnceOrRetryAsync(SnapshotRequest request, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _store.WriteAsync(request.StreamId, request.Aggregate, request.SchemaVersion, request.Version, request.StateJson, ct).ConfigureAwait(false);
                Interlocked.Increment(ref _written);
                _onWritten(request);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failed);
                if (attempt >= _options.RetryDelays.Count)
                {
                    _logger.LogError(e, "snapshot of {Aggregate} {StreamId} v{Version} failed {Attempts} times; dropped until the next load asks again",
                        request.Aggregate, request.StreamId, request.Version, attempt + 1);
                    return;
                }

                _logger.LogWarning(e, "snapshot of {Aggregate} {StreamId} v{Version} failed (attempt {Attempt}); retrying",
                    request.Aggregate, request.StreamId, request.Version, attempt + 1);
                await Task.Delay(_options.RetryDelays[attempt], ct).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _signal.Writer.TryComplete();
        try
        {
            // let pending snapshots finish for a moment, then stop
            await _loop.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        _stopping.Dispose();
    }
}

internal sealed record SnapshotRequest(Guid StreamId, string Aggregate, int SchemaVersion, long Version, string StateJson);
