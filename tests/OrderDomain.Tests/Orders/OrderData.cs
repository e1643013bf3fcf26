using OrderDomain.Orders;

namespace EventSourcing.OrderDomain.Tests.Orders;

internal static class OrderData
{
    public static readonly Guid Id = Guid.Parse("0b4a2c6e-1f3d-4e5a-9b7c-8d9e0f1a2b3c");
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly ShippingAddress Address = new("12 MG Road", "Bengaluru", "560001", "IN");
    public static readonly OrderLine Tea = new("TEA-001", "Assam Tea 500g", 2, 250m);
    public static readonly OrderLine Mug = new("MUG-002", "Stoneware Mug", 1, 399m);

    public static PlaceOrder Place(params OrderLine[] lines) =>
        new(Id, "cust-1", "Asha Rao", lines.Length == 0 ? [Tea] : lines, Address, "INR", T0);

    public static OrderPlaced Placed(params OrderLine[] lines) =>
        new(Id, "cust-1", "Asha Rao", lines.Length == 0 ? [Tea] : lines, Address, T0, "INR");

    public static PaymentConfirmed Paid(decimal amount = 500m) => new(Id, "cust-1", amount, "INR", "pay-1", T0.AddMinutes(5));

    public static OrderShipped Shipped() => new(Id, "BlueDart", "BD123", T0.AddDays(1));

    public static OrderCancelled Cancelled(decimal refunded = 0m) => new(Id, "cust-1", "customer changed their mind", refunded, "INR", T0.AddHours(1));
}
