namespace EventSourcing.Projections.Daemon;

/// <summary>The operator-controlled state of one projection, shared by all hosts (table <c>projection_state</c>).</summary>
/// <param name="Paused">Set by <c>projections pause</c>: the daemon stops applying batches until resumed.</param>
/// <param name="RetiringVersion">A replaced version kept for rollback until <paramref name="RetireAt"/>.</param>
public sealed record ProjectionState(string Name, bool Paused, int? RetiringVersion, DateTimeOffset? RetireAt)
{
    public static ProjectionState Initial(string name) => new(name, false, null, null);
}
