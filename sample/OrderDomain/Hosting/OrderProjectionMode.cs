namespace OrderDomain.Hosting;

/// <summary>Setting <c>Orders:Distribution</c>: who runs the read models when several processes run projections.</summary>
public enum OrderProjectionMode
{
    /// <summary>
    /// Marten's daemon with a PostgreSQL advisory lock per read model: each read model runs on the process that holds its
    /// lock, the other replicas stand by and take a lock when its holder's connection goes away. Safe for any number of replicas.
    /// </summary>
    HotCold = 0,

    /// <summary>
    /// Each read model is a Wolverine agent that the cluster's leader places on exactly one node, spread over the nodes,
    /// and moves off a node whose heartbeat is older than <see cref="OrderServiceOptions.StaleNodeTimeout"/>.
    /// </summary>
    Wolverine = 1,

    /// <summary>This process runs every read model without any lock: for exactly one projection process only.</summary>
    Solo = 2,
}
