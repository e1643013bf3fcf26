namespace OrderDomain.Orders.Http;

// Every member is nullable so that a missing field reaches the mapping, which names it ("unit price is required");
// a number never silently becomes 0. Unknown fields and strings for numbers are refused by OrderJson.Options.

/// <summary>Body of <c>POST /orders</c>. <see cref="OrderId"/> is optional: without it the server picks one
/// (derived from the Idempotency-Key when there is one, so a retried request lands on the same order).</summary>
public sealed record PlaceOrderRequest(
    Guid? OrderId,
    string? CustomerId,
    string? CustomerName,
    IReadOnlyList<OrderLineRequest?>? Lines,
    AddressRequest? ShippingAddress,
    string? Currency);

public sealed record OrderLineRequest(string? Sku, string? ProductName, int? Quantity, decimal? UnitPrice);

public sealed record AddressRequest(string? Street, string? City, string? PostalCode, string? Country);

public sealed record AddItemRequest(string? Sku, string? ProductName, int? Quantity, decimal? UnitPrice);

public sealed record PaymentRequest(decimal? Amount, string? PaymentReference);

public sealed record ShipmentRequest(string? Carrier, string? TrackingNumber);

public sealed record CancellationRequest(string? Reason);

/// <summary>What a command returns: the order and the version it is at now (also sent as the ETag).</summary>
public sealed record OrderCommandResponse(Guid OrderId, long Version, string Status, bool Replayed);
