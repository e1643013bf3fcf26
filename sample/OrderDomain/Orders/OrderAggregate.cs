using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Deciders;

namespace OrderDomain.Orders;

/// <summary>The order and the stream version it reflects, so a decision can require an expected version (HTTP If-Match).</summary>
public sealed record VersionedOrder(Order Order, long Version)
{
    public static VersionedOrder Initial { get; } = new(Order.Initial, 0);
}

/// <summary>The order decider as the event store loads and runs it.</summary>
public static class OrderAggregate
{
    public const string Name = "order";

    /// <summary>Loads and decides with no version requirement.</summary>
    public static Decider<VersionedOrder, OrderCommand> Decider { get; } = Create(expectedVersion: null);

    /// <summary>
    /// The order decider; with <paramref name="expectedVersion"/>, a decision on any other version fails with a
    /// <see cref="ConcurrencyException"/> (also after the store reloads on a conflict), so If-Match is strict.
    /// </summary>
    public static Decider<VersionedOrder, OrderCommand> Create(long? expectedVersion) => new(
        Name,
        VersionedOrder.Initial,
        (command, state) =>
        {
            if (expectedVersion is { } expected && state.Version != expected)
                throw new ConcurrencyException(command.OrderId, ExpectedVersion.Exact(expected), state.Version);
            return OrderDecider.Decide(command, state.Order);
        },
        (state, @event) => new VersionedOrder(OrderDecider.Evolve(state.Order, @event), state.Version + 1));
}
