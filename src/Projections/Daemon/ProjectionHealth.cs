using System.Collections.Concurrent;

namespace EventSourcing.Projections.Daemon;

/// <summary>What this host knows about each projection it runs: circuit state, last batch, last error.</summary>
public sealed class ProjectionHealth
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public ProjectionHealth(TimeProvider clock) => _clock = clock;

    public ProjectionHealth() : this(TimeProvider.System) { }

    /// <summary>
    /// Where shards move between hosts (Wolverine distribution): the read models that run on this host now.
    /// The entries of the others are dropped, so a shard that moved away is not reported stalled here.
    /// </summary>
    internal Func<IReadOnlySet<string>>? RunningHere { get; set; }

    public IReadOnlyDictionary<string, Entry> Snapshot()
    {
        if (RunningHere?.Invoke() is { } running)
        {
            foreach (var name in _entries.Keys.Where(name => !running.Contains(name)))
                _entries.TryRemove(name, out _);
        }

        return _entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
    }

    public Entry? Get(string projection) => _entries.GetValueOrDefault(projection);

    internal void BatchCompleted(string projection, long checkpoint, long highWaterMark) =>
        _entries.AddOrUpdate(projection,
            _ => new Entry(null, null, _clock.GetUtcNow(), checkpoint, highWaterMark, false),
            (_, e) => e with { LastBatchAt = _clock.GetUtcNow(), Checkpoint = checkpoint, HighWaterMark = highWaterMark, IsFaulted = false });

    /// <summary>What the last batch read of the hand-over state: a rebuilt version waiting, and the last swap's dead letters.</summary>
    internal void HandOver(string projection, PendingSwap? pending, CompletedSwap? lastSwap) =>
        _entries.AddOrUpdate(projection,
            _ => new Entry(null, null, null, 0, 0, false) { PendingSwap = pending, LastSwap = lastSwap },
            (_, e) => e with { PendingSwap = pending, LastSwap = lastSwap });

    internal void CircuitOpened(string projection, Exception error) =>
        _entries.AddOrUpdate(projection,
            _ => new Entry(_clock.GetUtcNow(), Describe(error), null, 0, 0, false),
            (_, e) => e with { CircuitOpenSince = e.CircuitOpenSince ?? _clock.GetUtcNow(), LastError = Describe(error) });

    internal void CircuitClosed(string projection)
    {
        if (_entries.TryGetValue(projection, out var entry) && entry.CircuitOpenSince is not null)
            _entries[projection] = entry with { CircuitOpenSince = null };
    }

    internal void Faulted(string projection, Exception error) =>
        _entries.AddOrUpdate(projection,
            _ => new Entry(null, Describe(error), null, 0, 0, true),
            (_, e) => e with { LastError = Describe(error), IsFaulted = true });

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";

    /// <param name="CircuitOpenSince">Set while the sink is unreachable and the projection is paused by its circuit.</param>
    public sealed record Entry(
        DateTimeOffset? CircuitOpenSince,
        string? LastError,
        DateTimeOffset? LastBatchAt,
        long Checkpoint,
        long HighWaterMark,
        bool IsFaulted)
    {
        /// <summary>A rebuilt version waiting to be swapped in, as the last batch saw it.</summary>
        public PendingSwap? PendingSwap { get; init; }

        /// <summary>The newest hand-over, as the last batch saw it.</summary>
        public CompletedSwap? LastSwap { get; init; }
    }
}
