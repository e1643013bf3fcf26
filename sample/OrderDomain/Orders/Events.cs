using EventSourcing.EventStore.Naming;

namespace OrderDomain.Orders;

/// <summary>
/// An order was placed. Version 2 added <see cref="Currency"/> with the default "INR" (in the Avro contract too,
/// so a consumer reading a version 1 event gets "INR"); the event store's upcaster gives stored version 1 events "INR".
/// </summary>
[EventName("order.placed", Version = 2)]
public sealed record OrderPlaced(
    Guid OrderId,
    string CustomerId,
    string CustomerName,
    IReadOnlyList<OrderLine> Lines,
    ShippingAddress ShippingAddress,
    DateTimeOffset PlacedAt,
    string Currency = OrderEventTypes.DefaultCurrency)
{
    /// <summary>Events are values: two <see cref="OrderPlaced"/> with the same lines (in order) are equal.</summary>
    public bool Equals(OrderPlaced? other) =>
        other is not null && OrderId == other.OrderId && CustomerId == other.CustomerId && CustomerName == other.CustomerName
        && Lines.SequenceEqual(other.Lines) && ShippingAddress == other.ShippingAddress && Currency == other.Currency && PlacedAt == other.PlacedAt;

    public override int GetHashCode() => HashCode.Combine(OrderId, CustomerId, Lines.Count, Currency, PlacedAt);
}

[EventName("order.item_added")]
public sealed record ItemAdded(Guid OrderId, OrderLine Line, DateTimeOffset AddedAt);

[EventName("order.item_removed")]
public sealed record ItemRemoved(Guid OrderId, string Sku, DateTimeOffset RemovedAt);

[EventName("order.payment_confirmed")]
public sealed record PaymentConfirmed(Guid OrderId, string CustomerId, decimal Amount, string Currency, string PaymentReference, DateTimeOffset PaidAt);

/// <summary>The order left the warehouse. Stored as <c>order.dispatched</c> before it was renamed; an upcaster reads the old name.</summary>
[EventName("order.shipped")]
public sealed record OrderShipped(Guid OrderId, string Carrier, string TrackingNumber, DateTimeOffset ShippedAt);

/// <summary>The order was cancelled; <see cref="RefundedAmount"/> (in <see cref="Currency"/>) is what was paid and is given back (0 when unpaid).</summary>
[EventName("order.cancelled")]
public sealed record OrderCancelled(Guid OrderId, string CustomerId, string Reason, decimal RefundedAmount, string Currency, DateTimeOffset CancelledAt);
