namespace EventSourcing.Projections.Kafka.Consuming;

/// <summary>
/// The de-duplication rule: per key (stream), the global sequence of the last event applied. The
/// publisher's idempotent producer keeps each partition in order without gaps, so a message whose
/// global sequence is not above the last applied one for its key is a re-delivery (same event id)
/// and is dropped.
/// </summary>
public sealed class StreamPositions
{
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);

    public long DroppedDuplicates { get; private set; }

    /// <summary>
    /// The events of a batch that are new for their stream, in order, and the positions they would set;
    /// nothing is recorded until <see cref="Accept"/> (after the sink acknowledged), so a batch that
    /// fails is judged the same way when it is delivered again.
    /// </summary>
    public (List<KafkaEvent> Fresh, Dictionary<string, long> Positions, int Duplicates) Filter(IEnumerable<KafkaEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var fresh = new List<KafkaEvent>();
        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var item in batch)
        {
            var last = positions.TryGetValue(item.StreamKey, out var pending) ? pending
                : _last.TryGetValue(item.StreamKey, out var applied) ? applied : long.MinValue;
            if (item.GlobalSequence <= last)
            {
                duplicates++;
                continue;
            }

            positions[item.StreamKey] = item.GlobalSequence;
            fresh.Add(item);
        }

        return (fresh, positions, duplicates);
    }

    public void Accept(Dictionary<string, long> positions, int duplicates)
    {
        ArgumentNullException.ThrowIfNull(positions);
        foreach (var (key, sequence) in positions)
            Seed(key, sequence);
        DroppedDuplicates += duplicates;
    }

    public void Seed(string streamKey, long globalSequence)
    {
        if (!_last.TryGetValue(streamKey, out var last) || last < globalSequence)
            _last[streamKey] = globalSequence;
    }
}
