using EventSourcing.EventStore.Naming;

namespace EventSourcing.Benchmarks.Publish;

[EventName("shop.order-placed")]
public sealed record ShopOrderPlaced(Guid OrderId, string CustomerId, decimal Amount, DateTimeOffset PlacedAt);

[EventName("shop.line-added")]
public sealed record ShopLineAdded(Guid OrderId, string Sku, int Quantity, decimal UnitPrice);

internal static class PublishEvents
{
    public static EventTypeRegistry Registry() => new EventTypeRegistry().Register<ShopOrderPlaced>().Register<ShopLineAdded>();

    public static object Event(Guid order, int index) => index == 0
        ? new ShopOrderPlaced(order, "customer-" + order.ToString("N")[..8], 99.95m, new DateTimeOffset(2026, 11, 26, 4, 0, 0, TimeSpan.Zero))
        : new ShopLineAdded(order, "sku-" + index, index, 4.25m);
}
