using System.Text.Json.Nodes;
using EventSourcing.EventStore.Naming;

namespace OrderDomain.Orders;

/// <summary>
/// Registers the order events under their stable names, and the upcasters that keep old stored events
/// readable: <c>order.placed</c> v1 (no currency) reads as v2 with currency "INR", and
/// <c>order.dispatched</c> (the old name) reads as <c>order.shipped</c>.
/// </summary>
public static class OrderEventTypes
{
    public const string DefaultCurrency = "INR";

    public static IReadOnlyList<Type> All { get; } =
    [
        typeof(OrderPlaced), typeof(ItemAdded), typeof(ItemRemoved),
        typeof(PaymentConfirmed), typeof(OrderShipped), typeof(OrderCancelled),
    ];

    /// <summary>The order events and upcasters on their own: what <c>schema-tools --event-types OrderDomain.Orders.OrderEventTypes.Registry</c> reads.</summary>
    public static EventTypeRegistry Registry => new EventTypeRegistry().RegisterOrderEvents();

    public static EventTypeRegistry RegisterOrderEvents(this EventTypeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var type in All)
            registry.Register(type);
        registry.Upcast("order.placed", 1, AddDefaultCurrency);
        registry.Rename("order.dispatched", 1, "order.shipped");
        return registry;
    }

    /// <summary>v1 -> v2: orders placed before currencies existed were all in rupees.</summary>
    public static JsonObject AddDefaultCurrency(JsonObject v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1["currency"] ??= DefaultCurrency; // the store serializes camelCase

        return v1;
    }
}
