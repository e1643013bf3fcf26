using EventSourcing.EventStore.Naming;
using EventSourcing.SchemaTools.Generation;

#pragma warning disable MA0048, SA1402, CA1050
namespace EventSourcing.SchemaTools.Tests.Cli.Fixtures.V2RenamedAliasOnly
{
    /// <summary>The rename as the old recipe had it: alias and version bump, no upcaster.</summary>
    [EventName("shop.order-placed", Version = 2)]
    public sealed record OrderPlaced(string OrderId, [AvroAliases("quantity")] int Count);
}

namespace EventSourcing.SchemaTools.Tests.Cli.Fixtures.V2RenamedNotBumped
{
    [EventName("shop.order-placed")]
    public sealed record OrderPlaced(string OrderId, [AvroAliases("quantity")] int Count);
}

namespace EventSourcing.SchemaTools.Tests.Cli.Fixtures.V2RenamedWithUpcaster
{
    [EventName("shop.order-placed", Version = 2)]
    public sealed record OrderPlaced(string OrderId, [AvroAliases("quantity")] int Count);

    public static class OrderEventTypes
    {
        public static void Configure(EventTypeRegistry events)
        {
            ArgumentNullException.ThrowIfNull(events);
            events.Register<OrderPlaced>().Upcast("shop.order-placed", 1, json =>
            {
                json["count"] = json["quantity"]!.DeepClone();
                json.Remove("quantity");
                return json;
            });
        }
    }
}

namespace EventSourcing.SchemaTools.Tests.Cli.Fixtures.V2PlacedGone
{
    /// <summary>shop.order-placed is gone: its stored events are now shop.order-taken.</summary>
    [EventName("shop.order-taken")]
    public sealed record OrderTaken(string OrderId, int Quantity);
}

namespace EventSourcing.SchemaTools.Tests.Cli.Fixtures.V2PlacedRenamed
{
    [EventName("shop.order-taken")]
    public sealed record OrderTaken(string OrderId, int Quantity);

    public static class OrderEventTypes
    {
        public static void Configure(EventTypeRegistry events)
        {
            ArgumentNullException.ThrowIfNull(events);
            events.Register<OrderTaken>().Rename("shop.order-placed", 1, "shop.order-taken");
        }
    }
}
#pragma warning restore MA0048, SA1402, CA1050
