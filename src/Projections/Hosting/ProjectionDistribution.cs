namespace EventSourcing.Projections.Hosting;

/// <summary>How the read-model shards (one per projection) are placed on the hosts that run the daemon.</summary>
public enum ProjectionDistribution
{
    /// <summary>
    /// Marten's async daemon with HotCold leader election: the host holding the leader lock runs every shard,
    /// the others stand by and take over when it dies. One host does all the work at any time.
    /// </summary>
    HotCold = 0,

    /// <summary>
    /// Wolverine-managed distribution: each shard is a Wolverine agent that the cluster's leader assigns to
    /// exactly one node, spread evenly over the running nodes and moved when a node joins or leaves.
    /// Needs Wolverine on the host (<c>UseWolverine</c>), whose node and agent tables live in PostgreSQL.
    /// </summary>
    Wolverine = 1,
}
