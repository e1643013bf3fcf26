using EventSourcing.EventStore.Naming;
using EventSourcing.Projections.Kafka.Contracts;

namespace EventSourcing.Projections.Tests.Kafka;

[EventName("order.placed")]
public sealed record OrderPlaced(Guid OrderId, string CustomerId, decimal Amount, DateTimeOffset PlacedAt);

[EventName("order.line-added")]
public sealed record OrderLineAdded(Guid OrderId, string Sku, int Quantity);

[EventName("order.shipped")]
public sealed record OrderShipped(Guid OrderId, string Carrier);

/// <summary>A consumer's newer copy of order.shipped: an added field with a default.</summary>
[EventName("order.shipped", Version = 2)]
public sealed record OrderShippedV2(Guid OrderId, string Carrier, string TrackingUrl = "none");

internal static class TestContracts
{
    public static EventTypeRegistry Events() => new EventTypeRegistry()
        .Register<OrderPlaced>().Register<OrderLineAdded>().Register<OrderShipped>();

    public static EventContracts Publisher() => EventContracts.FromRegistry(Events());

    /// <summary>A consumer built with v2 of order.shipped.</summary>
    public static EventContracts ConsumerWithShippedV2() => EventContracts.Of(typeof(OrderPlaced), typeof(OrderLineAdded), typeof(OrderShippedV2));
}
