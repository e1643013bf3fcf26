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
