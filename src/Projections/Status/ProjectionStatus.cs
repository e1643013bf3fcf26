using System.Text.Json.Serialization;

namespace EventSourcing.Projections.Status;

/// <summary>One projection as <c>projections status</c> shows it.</summary>
/// <param name="State"><c>running</c>, <c>paused</c>, <c>rebuild-needed</c> (code version above the live one) or <c>not-started</c>.</param>
/// <param name="LagEvents">High-water mark minus checkpoint.</param>
/// <param name="LagSeconds">Age of the oldest event past the checkpoint (0 when caught up).</param>
/// <param name="Node">
/// Under Wolverine distribution, the node that runs the read model (<see cref="ProjectionNode.Nowhere"/> when none);
/// null, and left out of the JSON, under HotCold distribution, where the leader host runs every read model.
/// </param>
public sealed record ProjectionStatus(
    string Name,
    string State,
    int CodeVersion,
    int? LiveVersion,
    long Checkpoint,
    long HighWaterMark,
    long LagEvents,
    double LagSeconds,
    long DeadLetters,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProjectionNode? Node = null);
