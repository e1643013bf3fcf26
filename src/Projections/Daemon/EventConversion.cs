using EventSourcing.Projections.Definitions;
using JasperFx.Events;

namespace EventSourcing.Projections.Daemon;

internal static class EventConversion
{
    public static ProjectedEvent ToProjected(this IEvent e) =>
        new(e.Data, e.Sequence, e.StreamKey ?? e.StreamId.ToString("D"), e.Id, e.EventTypeName, e.Timestamp);
}
