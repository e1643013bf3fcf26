namespace OrderDomain.Search;

/// <summary>One order as search sees it: denormalized, with everything a result row and a filter need.</summary>
public sealed record OrderSearchDocument(
    Guid OrderId,
    string CustomerId,
    string CustomerName,
    string Status,
    IReadOnlyList<OrderSearchLine> Lines,
    decimal Total,
    string Currency,
    DateTimeOffset PlacedAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? ShippedAt,
    DateTimeOffset? CancelledAt,
    string ShippingCity,
    string ShippingCountry);

public sealed record OrderSearchLine(string Sku, string ProductName, int Quantity, decimal UnitPrice);
