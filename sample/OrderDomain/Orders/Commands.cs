using System.Text.Json.Serialization;

namespace OrderDomain.Orders;

/// <summary>
/// What can be asked of an order. Time comes in with the command, never from a clock in the domain.
/// <see cref="At"/> is when the command was handled, not part of what was asked, so it is left out of the
/// command's JSON: a retried request (same Idempotency-Key) hashes the same.
/// </summary>
public abstract record OrderCommand(Guid OrderId, [property: JsonIgnore] DateTimeOffset At);

public sealed record PlaceOrder(
    Guid OrderId,
    string CustomerId,
    string CustomerName,
    IReadOnlyList<OrderLine> Lines,
    ShippingAddress ShippingAddress,
    string Currency,
    DateTimeOffset At) : OrderCommand(OrderId, At);

public sealed record AddItem(Guid OrderId, OrderLine Line, DateTimeOffset At) : OrderCommand(OrderId, At);

public sealed record RemoveItem(Guid OrderId, string Sku, DateTimeOffset At) : OrderCommand(OrderId, At);

public sealed record ConfirmPayment(Guid OrderId, decimal Amount, string PaymentReference, DateTimeOffset At) : OrderCommand(OrderId, At);

public sealed record ShipOrder(Guid OrderId, string Carrier, string TrackingNumber, DateTimeOffset At) : OrderCommand(OrderId, At);

public sealed record CancelOrder(Guid OrderId, string Reason, DateTimeOffset At) : OrderCommand(OrderId, At);
