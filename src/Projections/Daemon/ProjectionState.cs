namespace EventSourcing.Projections.Daemon;

/// <summary>The operator-controlled state of one projection, shared by all hosts (table <c>projection_state</c>).</summary>
/// <param name="Paused">Set by <c>projections pause</c>: the daemon stops applying batches until resumed.</param>
/// <param name="RetiringVersion">A replaced version kept for rollback until <paramref name="RetireAt"/>.</param>
/// <param name="PendingSwap">A rebuilt version waiting for the live subscription to swap it in (null: none).</param>
/// <param name="LastSwap">The newest completed hand-over (null: never swapped by a rebuild).</param>
public sealed record ProjectionState(
    string Name, bool Paused, int? RetiringVersion, DateTimeOffset? RetireAt, PendingSwap? PendingSwap = null, CompletedSwap? LastSwap = null)
{
    public static ProjectionState Initial(string name) => new(name, false, null, null);
}

/// <summary>
/// A finished rebuild pass: version <paramref name="Version"/> holds every event up to <paramref name="BuiltThrough"/>
/// (a high-water mark, so no event at or below it can still commit). The live subscription swaps it in at the first
/// batch whose floor is at or past that sequence, after catching it up to the floor.
/// </summary>
public sealed record PendingSwap(int Version, long BuiltThrough, DateTimeOffset RequestedAt);

/// <summary>A hand-over that happened: the version swapped in, at which checkpoint, when, and the dead letters it raised.</summary>
public sealed record CompletedSwap(int Version, long AtSequence, DateTimeOffset At, int DeadLetters);
