using OrderDomain.Orders;
using static EventSourcing.OrderDomain.Tests.Orders.OrderData;

namespace EventSourcing.OrderDomain.Tests.Orders;

public sealed class OrderAggregateTests
{
    [Fact]
    public void the_aggregate_folds_the_events_into_the_order()
    {
        var outcome = OrderSpec.Given(Placed(), Paid()).When(new ShipOrder(Id, "BlueDart", "BD123", T0.AddDays(1))).Then(Shipped());
        Assert.Equal(OrderStatus.Shipped, outcome.State.Status);
        Assert.Equal(Id, outcome.State.Id);
    }

    [Fact]
    public void order_placed_events_compare_by_value_including_their_lines() =>
        Assert.Equal(Placed(Tea, Mug), Placed(Tea with { }, Mug with { }));
}
