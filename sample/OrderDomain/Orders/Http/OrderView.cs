namespace OrderDomain.Orders.Http;

/// <summary>The order as <c>GET /orders/{id}</c> returns it, straight from the event store.</summary>
public sealed record OrderView(
    Guid OrderId,
    long Version,
    string Status,
    string CustomerId,
    string CustomerName,
    IReadOnlyList<OrderLineView> Lines,
    decimal Total,
    string Currency,
    ShippingAddress? ShippingAddress,
    DateTimeOffset? PlacedAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? ShippedAt,
    DateTimeOffset? CancelledAt,
    string? CancellationReason)
{
    public static OrderView From(Order order, long version) => new(
        order.Id,
        version,
        StatusName(order.Status),
        order.CustomerId,
        order.CustomerName,
        [.. order.Lines.Select(l => new OrderLineView(l.Sku, l.ProductName, l.Quantity, l.UnitPrice, l.LineTotal))],
        order.Total,
        order.Currency,
        order.ShippingAddress,
        order.PlacedAt,
        order.PaidAt,
        order.ShippedAt,
        order.CancelledAt,
        order.CancellationReason);

    public static string StatusName(OrderStatus status) => status switch
    {
        OrderStatus.Placed => "placed",
        OrderStatus.Paid => "paid",
        OrderStatus.Shipped => "shipped",
        OrderStatus.Cancelled => "cancelled",
        _ => "none",
    };
}

public sealed record OrderLineView(string Sku, string ProductName, int Quantity, decimal UnitPrice, decimal LineTotal);
