using EventSourcing.EventStore.Deciders;

namespace OrderDomain.Orders;

/// <summary>The order decider as the event store loads and runs it.</summary>
public static class OrderAggregate
{
    public const string Name = "order";

    /// <summary>
    /// The schema version of the order's snapshots. 2 since the state is the plain <see cref="Order"/>: version 1
    /// snapshots held the order together with its stream version, and the store ignores them and writes fresh ones.
    /// </summary>
    public const int SnapshotSchemaVersion = 2;

    /// <summary>
    /// The order decider. An expected version (HTTP If-Match) is not the decider's business: the store's
    /// <c>HandleAsync(decider, id, command, ExpectedVersion.Exact(n), ...)</c> decides at exactly that version.
    /// </summary>
    public static Decider<Order, OrderCommand> Decider { get; } =
        new(Name, Order.Initial, OrderDecider.Decide, OrderDecider.Evolve);
}
