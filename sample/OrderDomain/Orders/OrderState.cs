namespace OrderDomain.Orders;

/// <summary>The order as the decider sees it: immutable, changed only through <see cref="OrderDecider.Evolve"/>.</summary>
public sealed record Order(
    Guid Id,
    OrderStatus Status,
    string CustomerId,
    string CustomerName,
    IReadOnlyList<OrderLine> Lines,
    ShippingAddress? ShippingAddress,
    string Currency,
    DateTimeOffset? PlacedAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? ShippedAt,
    DateTimeOffset? CancelledAt,
    string? CancellationReason)
{
    /// <summary>The state before any event: an order that does not exist yet.</summary>
    public static Order Initial { get; } = new(Guid.Empty, OrderStatus.None, "", "", [], null, "", null, null, null, null, null);

    public bool Exists => Status != OrderStatus.None;

    public decimal Total => Lines.Sum(l => l.LineTotal);
}
