namespace OrderDomain.Orders.Http;

/// <summary>Turns request bodies into commands. Missing values become empty text, so the decider's rules name them.</summary>
internal static class OrderRequestMapping
{
    public static PlaceOrder ToCommand(this PlaceOrderRequest request, Guid orderId, DateTimeOffset at) => new(
        orderId,
        request.CustomerId ?? "",
        request.CustomerName ?? "",
        [.. (request.Lines ?? []).Select(ToLine)],
        request.ShippingAddress is { } a ? new ShippingAddress(a.Street ?? "", a.City ?? "", a.PostalCode ?? "", a.Country ?? "") : null!,
        request.Currency ?? OrderEventTypes.DefaultCurrency,
        at);

    public static OrderLine ToLine(OrderLineRequest? line) =>
        line is null
            ? throw OrderRuleViolated.Invalid("line_missing", "an order line is null")
            : new OrderLine(line.Sku ?? "", line.ProductName ?? "", Required(line.Quantity, "quantity"), Required(line.UnitPrice, "unit price"));

    public static AddItem ToCommand(this AddItemRequest request, Guid orderId, DateTimeOffset at) =>
        new(orderId, new OrderLine(request.Sku ?? "", request.ProductName ?? "", Required(request.Quantity, "quantity"), Required(request.UnitPrice, "unit price")), at);

    public static ConfirmPayment ToCommand(this PaymentRequest request, Guid orderId, DateTimeOffset at) =>
        new(orderId, Required(request.Amount, "amount"), request.PaymentReference ?? "", at);

    private static T Required<T>(T? value, string what) where T : struct =>
        value ?? throw OrderRuleViolated.Invalid(what.Replace(' ', '_') + "_missing", $"{what} is required");

    public static ShipOrder ToCommand(this ShipmentRequest request, Guid orderId, DateTimeOffset at) =>
        new(orderId, request.Carrier ?? "", request.TrackingNumber ?? "", at);

    public static CancelOrder ToCommand(this CancellationRequest request, Guid orderId, DateTimeOffset at) =>
        new(orderId, request.Reason ?? "", at);
}
