using EventSourcing.EventStore.Naming;
using OrderDomain.Orders;

namespace EventSourcing.OrderDomain.Tests.Evolution;

/// <summary>
/// The order events as an older release of the sample wrote them: <c>order.placed</c> v1 had no currency,
/// and shipping was stored as <c>order.dispatched</c>. Only tests write these now.
/// </summary>
[EventName("order.placed", Version = 1)]
public sealed record OrderPlacedV1(
    Guid OrderId, string CustomerId, string CustomerName, IReadOnlyList<OrderLine> Lines, ShippingAddress ShippingAddress, DateTimeOffset PlacedAt);

[EventName("order.dispatched")]
public sealed record OrderDispatched(Guid OrderId, string Carrier, string TrackingNumber, DateTimeOffset ShippedAt);
