namespace EventSourcing.Projections.Kafka.Consuming;

/// <summary>
/// The de-duplication rule: per key (stream), the position (global sequence, part) of the last event
/// applied. The publisher's idempotent producer keeps each partition in order without gaps, so a
/// message whose position is not above the last applied one for its key is a re-delivery (same event
/// id) and is dropped. The part tells apart the events an upcaster split from one stored event.
/// </summary>
public sealed class StreamPositions
{
    private readonly Dictionary<string, (long, int)> _last = new(StringComparer.Ordinal);

    public long DroppedDuplicates { get; private set; }

    /// <summary>
    /// The events of a batch that are new for their stream, in order, and the positions they would set;
    /// nothing is recorded until <see cref="Accept"/> (after the sink acknowledged), so a batch that
    /// fails is judged the same way when it is delivered again.
    /// </summary>
    public (List<KafkaEvent> Fresh, Dictionary<string, (long, int)> Positions, int Duplicates) Filter(IEnumerable<KafkaEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var fresh = new List<KafkaEvent>();
        var positions = new Dictionary<string, (long, int)>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var item in batch)
        {
            var last = positions.TryGetValue(item.StreamKey, out var pending) ? pending
                : _last.TryGetValue(item.StreamKey, out var applied) ? applied : (long.MinValue, 0);
            var position = (item.GlobalSequence, item.Part);
            if (position.CompareTo(last) <= 0)
            {
                duplicates++;
                continue;
            }

            positions[item.StreamKey] = position;
            fresh.Add(item);
        }

        return (fresh, positions, duplicates);
    }

    public void Accept(Dictionary<string, (long, int)> positions, int duplicates)
    {
        ArgumentNullException.ThrowIfNull(positions);
        foreach (var (key, sequence) in positions)
            Seed(key, sequence);
        DroppedDuplicates += duplicates;
    }

    public void Seed(string streamKey, (long GlobalSequence, int Part) position)
    {
        if (!_last.TryGetValue(streamKey, out var last) || last.CompareTo(position) < 0)
            _last[streamKey] = position;
    }
}
