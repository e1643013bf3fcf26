using EventSourcing.EventStore.Naming;

namespace OrderDomain.Orders;

/// <summary>An order was placed. Version 2 added <see cref="Currency"/>; version 1 events read as "INR".</summary>
[EventName("order.placed", Version = 2)]
public sealed record OrderPlaced(
    Guid OrderId,
    string CustomerId,
    string CustomerName,
    IReadOnlyList<OrderLine> Lines,
    ShippingAddress ShippingAddress,
    string Currency,
    DateTimeOffset PlacedAt);

[EventName("order.item_added")]
public sealed record ItemAdded(Guid OrderId, OrderLine Line, DateTimeOffset AddedAt);

[EventName("order.item_removed")]
public sealed record ItemRemoved(Guid OrderId, string Sku, DateTimeOffset RemovedAt);

/// <summary>Payment was confirmed. Stored as <c>order.payment_received</c> before it was renamed; an upcaster reads the old name.</summary>
[EventName("order.payment_confirmed")]
public sealed record PaymentConfirmed(Guid OrderId, decimal Amount, string PaymentReference, DateTimeOffset PaidAt);

[EventName("order.shipped")]
public sealed record OrderShipped(Guid OrderId, string Carrier, string TrackingNumber, DateTimeOffset ShippedAt);

[EventName("order.cancelled")]
public sealed record OrderCancelled(Guid OrderId, string Reason, DateTimeOffset CancelledAt);
