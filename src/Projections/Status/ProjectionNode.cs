namespace EventSourcing.Projections.Status;

/// <summary>
/// Under <see cref="Hosting.ProjectionDistribution.Wolverine"/> distribution, the Wolverine node a read model is
/// assigned to, from Wolverine's <c>wolverine_node_assignments</c> joined to <c>wolverine_nodes</c>.
/// Every field is null when the read model is assigned to no node (no host running, or between a dead node's
/// ejection and the leader placing it again).
/// </summary>
/// <param name="Number">Wolverine's node number (<c>wolverine_nodes.node_number</c>).</param>
/// <param name="Description">What the node says about itself (by default its machine name).</param>
/// <param name="AssignedAt">When the read model was assigned to that node.</param>
/// <param name="HeartbeatAgeSeconds">
/// Seconds since the node's last heartbeat: a node that died keeps its assignments until this passes
/// Wolverine's <c>Durability.StaleNodeTimeout</c> and it is ejected.
/// </param>
public sealed record ProjectionNode(int? Number, string? Description, DateTimeOffset? AssignedAt, double? HeartbeatAgeSeconds)
{
    /// <summary>Assigned to no node.</summary>
    public static ProjectionNode Nowhere { get; } = new(null, null, null, null);
}
