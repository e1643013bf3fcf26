namespace EventSourcing.Projections.Definitions;

/// <summary>One committed event as a projection sees it (already upcast, in global order).</summary>
/// <param name="Data">The event body.</param>
/// <param name="Sequence">The global sequence number: the external version of the documents it changes.</param>
/// <param name="StreamKey">The stream id (a Guid's "D" format, or the string key).</param>
public sealed record ProjectedEvent(
    object Data,
    long Sequence,
    string StreamKey,
    Guid EventId,
    string EventTypeName,
    DateTimeOffset Timestamp);
