using Marten;

namespace EventSourcing.Projections.Sinks;

/// <summary>
/// Context of a write. When the daemon writes, <see cref="Operations"/> is Marten's unit of work that
/// commits together with the projection's checkpoint: a sink in the same PostgreSQL database queues its
/// writes there, so documents and checkpoint commit in one transaction. Other sinks ignore it.
/// </summary>
public sealed record SinkWriteContext(IDocumentOperations? Operations)
{
    /// <summary>Write directly, outside any daemon transaction.</summary>
    public static SinkWriteContext Direct { get; } = new((IDocumentOperations?)null);
}
