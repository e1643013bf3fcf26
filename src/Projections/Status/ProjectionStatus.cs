using System.Text.Json.Serialization;

namespace EventSourcing.Projections.Status;

/// <summary>One projection as <c>projections status</c> shows it.</summary>
/// <param name="State">
/// <c>running</c>, <c>paused</c>, <c>stalled</c> (events wait and the checkpoint has not moved for longer than
/// <c>ProjectionsOptions.StalledAfter</c>: the node in <paramref name="Node"/>, or nobody, is not advancing it), <c>swap-pending</c> (a rebuilt version is complete and the live one is behind it until the
/// daemon swaps it in), <c>handover-dead-letters</c> (the live version received dead letters when it was swapped in: a
/// defect to investigate with <c>projections verify</c>), <c>rebuild-needed</c> (code version above the live one) or <c>not-started</c>.
/// </param>
/// <param name="PendingVersion">The rebuilt version waiting to be swapped in (null: none).</param>
/// <param name="PendingSeconds">How long it has waited.</param>
/// <param name="LastSwap">The newest hand-over from a rebuild (version, checkpoint, time, dead letters it raised).</param>
/// <param name="StalledSeconds">When stalled: seconds since the checkpoint last moved while events waited (null otherwise).</param>
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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProjectionNode? Node = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PendingVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? PendingSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Daemon.CompletedSwap? LastSwap = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? StalledSeconds = null);
