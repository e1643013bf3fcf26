namespace EventSourcing.EventStore.Upcasting;

/// <summary>
/// What Marten hands out for a stored event that an upcaster split into several. The readers of this
/// library (<see cref="Reading.EventEnvelope.FromMarten"/>, aggregate loads, the global log) expand it
/// into its <see cref="Events"/>, each with the metadata of the stored event. Code that reads Marten's
/// <c>IEvent</c> directly (custom projections) should do the same via <see cref="Reading.EventEnvelope.FromMarten"/>.
/// </summary>
public sealed class SplitEvent
{
    public SplitEvent(IReadOnlyList<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        Events = events;
    }

    public IReadOnlyList<object> Events { get; }
}
