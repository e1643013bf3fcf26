using System.Collections.Concurrent;
using EventSourcing.Projections.Sinks;

namespace EventSourcing.Projections.Tests.Support;

/// <summary>Shared by several hosts: records which host processes which read model, and the most that ever did so at once.</summary>
public sealed class ShardTracker
{
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private int _maxConcurrent;

    public ConcurrentDictionary<string, ConcurrentDictionary<string, int>> BatchesByHost { get; } = new(StringComparer.Ordinal);

    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    internal void Enter(string host, string readModel)
    {
        var now = _inFlight.AddOrUpdate(readModel, 1, (_, n) => n + 1);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, now, seen) != seen) { }
        BatchesByHost.GetOrAdd(host, _ => new(StringComparer.Ordinal)).AddOrUpdate(readModel, 1, (_, n) => n + 1);
    }

    internal void Exit(string readModel) => _inFlight.AddOrUpdate(readModel, 0, (_, n) => n - 1);
}

/// <summary>A real sink whose batches (load to write) are reported to a <see cref="ShardTracker"/>.</summary>
public sealed class TrackingSink(IReadModelSink inner, ShardTracker tracker, string host) : IReadModelSink
{
    public string Kind => inner.Kind;

    public Task PrepareAsync(ReadModelTarget target, CancellationToken cancellationToken) => inner.PrepareAsync(target, cancellationToken);

    public Task<IReadOnlyDictionary<string, StoredDocument>> LoadAsync(ReadModelTarget target, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        tracker.Enter(host, target.ReadModel);
        return inner.LoadAsync(target, keys, cancellationToken);
    }

    public async Task<IReadOnlyList<WriteOutcome>> WriteAsync(ReadModelTarget target, IReadOnlyList<DocumentChange> changes, SinkWriteContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.WriteAsync(target, changes, context, cancellationToken);
        }
        finally
        {
            tracker.Exit(target.ReadModel);
        }
    }

    public Task SwapAsync(ReadModelTarget target, CancellationToken cancellationToken) => inner.SwapAsync(target, cancellationToken);

    public Task<int?> LiveVersionAsync(string readModel, CancellationToken cancellationToken) => inner.LiveVersionAsync(readModel, cancellationToken);

    public Task<IReadOnlyDictionary<string, StoredDocument>> LoadLiveAsync(ReadModelTarget readModel, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        inner.LoadLiveAsync(readModel, keys, cancellationToken);

    public Task RetireAsync(ReadModelTarget target, CancellationToken cancellationToken) => inner.RetireAsync(target, cancellationToken);
}
