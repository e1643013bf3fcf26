using System.Collections.Concurrent;

namespace EventSourcing.Reliability.Load;

/// <summary>An acknowledged write: a 2xx answer saying the order is at <paramref name="Version"/> after <paramref name="Command"/>.</summary>
public sealed record AcknowledgedWrite(Guid OrderId, long Version, string Command, int Status);

/// <summary>What the writers sent and what the service answered; every acknowledged write must be in the log and the read models.</summary>
public sealed class WriteLedger
{
    private readonly ConcurrentQueue<AcknowledgedWrite> _acknowledged = new();
    private readonly ConcurrentDictionary<string, int> _rejected = new(StringComparer.Ordinal);
    private int _unknown;

    public IReadOnlyCollection<AcknowledgedWrite> Acknowledged => _acknowledged;

    /// <summary>4xx answers by rule (expected now and then: a writer's view of an order can be stale).</summary>
    public IReadOnlyDictionary<string, int> Rejected => _rejected;

    /// <summary>Requests without an answer (timeouts, refused connections, 5xx): not acknowledged, so they may or may not be in the log.</summary>
    public int Unknown => _unknown;

    public void Acknowledge(AcknowledgedWrite write) => _acknowledged.Enqueue(write);

    public void Reject(string rule) => _rejected.AddOrUpdate(rule, 1, (_, n) => n + 1);

    public void Lost() => Interlocked.Increment(ref _unknown);

    public override string ToString() =>
        $"{_acknowledged.Count} acknowledged, {_rejected.Values.Sum()} rejected ({string.Join(", ", _rejected.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"))}), {_unknown} without an answer";
}
