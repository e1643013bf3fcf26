using EventSourcing.EventStore.Upcasting;
using EventSourcing.Projections.Definitions;
using JasperFx.Events;

namespace EventSourcing.Projections.Daemon;

internal static class EventConversion
{
    public static ProjectedEvent ToProjected(this IEvent e) =>
        new(e.Data, e.Sequence, e.StreamKey ?? e.StreamId.ToString("D"), e.Id, e.EventTypeName, e.Timestamp);

    /// <summary>
    /// The events a projection sees for one stored event: itself, or, for a stored event an upcaster split into
    /// several (<see cref="SplitEvent"/>), each of them, in order, with the stored event's sequence and metadata.
    /// </summary>
    public static IEnumerable<ProjectedEvent> Expand(this IEvent e)
    {
        if (e.Data is not SplitEvent split)
        {
            yield return e.ToProjected();
            yield break;
        }

        foreach (var data in split.Events)
            yield return new ProjectedEvent(data, e.Sequence, e.StreamKey ?? e.StreamId.ToString("D"), e.Id, e.EventTypeName, e.Timestamp);
    }
}
