using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Testing;
using OrderDomain.Orders;
using static EventSourcing.OrderDomain.Tests.Orders.OrderData;

namespace EventSourcing.OrderDomain.Tests.Orders;

public sealed class OrderAggregateTests
{
    [Fact]
    public void the_aggregate_counts_the_version_of_the_events_it_folded()
    {
        var outcome = OrderSpec.Given(Placed(), Paid()).When(new ShipOrder(Id, "BlueDart", "BD123", T0.AddDays(1))).Then(Shipped());
        Assert.Equal(3, outcome.State.Version);
        Assert.Equal(OrderStatus.Shipped, outcome.State.Order.Status);
    }

    [Fact]
    public void with_an_expected_version_a_decision_on_another_version_is_a_concurrency_conflict()
    {
        var error = DeciderSpecification.For(OrderAggregate.Create(expectedVersion: 1)).Given(Placed(), Paid())
            .When(new CancelOrder(Id, "too late?", T0.AddHours(2))).Throws<ConcurrencyException>();
        Assert.Equal(2, error.ActualVersion);
        Assert.Equal(1, error.Expected.Value);
    }

    [Fact]
    public void with_the_expected_version_the_decision_is_made() =>
        DeciderSpecification.For(OrderAggregate.Create(expectedVersion: 2)).Given(Placed(), Paid())
            .When(new CancelOrder(Id, "customer changed their mind", T0.AddHours(1))).Then(Cancelled(refunded: 500m));

    [Fact]
    public void order_placed_events_compare_by_value_including_their_lines() =>
        Assert.Equal(Placed(Tea, Mug), Placed(Tea with { }, Mug with { }));
}
