namespace EventSourcing.Projections.Definitions;

/// <summary>Marker: the document key is the event's stream id. Use <c>ReadModelProjection.ByStream</c>.</summary>
public sealed class ByStream
{
    internal static readonly ByStream Instance = new();

    private ByStream() { }
}
