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

    private readonly ConcurrentDictionary<string, StalledReadModel> _stalled = new(StringComparer.Ordinal);

    /// <summary>
    /// Read models that, as the last check of the whole cluster from the database saw them, have events waiting and a
    /// checkpoint that has not moved for <c>ProjectionsOptions.StalledAfter</c>, wherever they are assigned.
    /// </summary>
    public IReadOnlyDictionary<string, StalledReadModel> Stalled() => _stalled.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    /// <summary>Replaces the cluster view; returns the read models that were not stalled before (just became stalled).</summary>
    internal IReadOnlyList<StalledReadModel> ObserveStalled(IReadOnlyCollection<StalledReadModel> stalled)
    {
        var fresh = stalled.Where(s => !_stalled.ContainsKey(s.Name)).ToList();
        foreach (var name in _stalled.Keys.Where(name => stalled.All(s => s.Name != name)))
            _stalled.TryRemove(name, out _);
        foreach (var s in stalled)
            _stalled[s.Name] = s;
        return fresh;
    }

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";

    /// <summary>A read model assigned (or not) but not advancing while events wait.</summary>
    /// <param name="Node">The Wolverine node it is assigned to, e.g. <c>2 (host-b)</c>; <c>none</c>; null under HotCold distribution.</param>
    public sealed record StalledReadModel(string Name, string? Node, double SecondsWithoutProgress, long LagEvents);

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
