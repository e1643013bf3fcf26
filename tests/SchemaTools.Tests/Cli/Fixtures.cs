using EventSourcing.EventStore.Naming;

#pragma warning disable MA0048, SA1402, CA1050
namespace EventSourcing.SchemaTools.Tests.Cli.Fixtures.V1
{
    [EventName("shop.order-placed")]
    public sealed record OrderPlaced(string OrderId, int Quantity);
}

namespace EventSourcing.SchemaTools.Tests.Cli.Fixtures.V2Compatible
{
    [EventName("shop.order-placed")]
    public sealed record OrderPlaced(string OrderId, int Quantity, string? Note);
}

namespace EventSourcing.SchemaTools.Tests.Cli.Fixtures.V2Breaking
{
    [EventName("shop.order-placed", Version = 2)]
    public sealed record OrderPlaced(string OrderId, string Quantity);
}

namespace EventSourcing.SchemaTools.Tests.Cli.Fixtures.V2BreakingNotBumped
{
    [EventName("shop.order-placed")]
    public sealed record OrderPlaced(string OrderId, string Quantity);
}
#pragma warning restore MA0048, SA1402, CA1050

namespace EventSourcing.SchemaTools.Tests.Cli.Fixtures.V2WithUpcaster
{
    [EventName("shop.order-placed", Version = 2)]
    public sealed record OrderPlaced(string OrderId, string Quantity);

    public static class OrderEventTypes
    {
        /// <summary>The event type configuration schema-tools finds: version 1 stored events get their quantity as text.</summary>
        public static void Configure(EventSourcing.EventStore.Naming.EventTypeRegistry events)
        {
            ArgumentNullException.ThrowIfNull(events);
            events.Register<OrderPlaced>().Upcast("shop.order-placed", 1, json =>
            {
                json["quantity"] = json["quantity"]?.ToString();
                return json;
            });
        }
    }
}

namespace EventSourcing.SchemaTools.Tests.Cli.Fixtures.V2MissingValue
{
    [EventName("shop.order-placed")]
    public sealed record OrderPlaced(string OrderId, int Quantity, string Channel);
}

namespace EventSourcing.SchemaTools.Tests.Cli.Fixtures.ExtensionConfiguration
{
    [EventName("shop.cart-emptied")]
    public sealed record CartEmptied(string CartId);

    [EventName("shop.cart-unused")]
    public sealed record NotRegistered(string CartId);

    /// <summary>The shape the sample uses: an extension method returning the registry.</summary>
    public static class CartEventTypes
    {
        public static EventSourcing.EventStore.Naming.EventTypeRegistry RegisterCartEvents(this EventSourcing.EventStore.Naming.EventTypeRegistry registry)
        {
            ArgumentNullException.ThrowIfNull(registry);
            return registry.Register<CartEmptied>();
        }
    }
}

namespace EventSourcing.SchemaTools.Tests.Cli.Fixtures.V2BrokenUpcaster
{
    [EventName("shop.order-placed", Version = 2)]
    public sealed record OrderPlaced(string OrderId, string Quantity);

    public static class OrderEventTypes
    {
        /// <summary>An upcaster with a bug: it fails on every stored version 1 event.</summary>
        public static void Configure(EventSourcing.EventStore.Naming.EventTypeRegistry events)
        {
            ArgumentNullException.ThrowIfNull(events);
            events.Register<OrderPlaced>().Upcast("shop.order-placed", 1, json => throw new InvalidOperationException($"cannot upcast order {json["orderId"]}"));
        }
    }
}
