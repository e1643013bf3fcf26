namespace OrderDomain.Orders;

/// <summary>What can be asked of an order. Time comes in with the command, never from a clock in the domain.</summary>
public abstract record OrderCommand(Guid OrderId, DateTimeOffset At);

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
