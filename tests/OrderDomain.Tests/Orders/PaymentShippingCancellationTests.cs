using OrderDomain.Orders;
using static EventSourcing.OrderDomain.Tests.Orders.OrderData;

namespace EventSourcing.OrderDomain.Tests.Orders;

public sealed class PaymentShippingCancellationTests
{
    private static readonly DateTimeOffset T1 = T0.AddMinutes(5);

    [Fact]
    public void confirming_payment_of_the_total_marks_the_order_paid() =>
        OrderSpec.Given(Placed()).When(new ConfirmPayment(Id, 500m, "pay-1", T1)).Then(Paid());

    [Fact]
    public void paying_twice_is_refused() =>
        OrderSpec.Given(Placed(), Paid()).When(new ConfirmPayment(Id, 500m, "pay-2", T1)).Throws("already_paid", OrderRuleKind.StateConflict);

    [Fact]
    public void a_payment_that_does_not_match_the_total_is_refused()
    {
        var error = OrderSpec.Given(Placed()).When(new ConfirmPayment(Id, 499m, "pay-1", T1)).Throws("amount_mismatch", OrderRuleKind.InvalidInput);
        Assert.Contains("payment of 499 INR does not match the order total 500 INR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_payment_needs_a_reference() =>
        OrderSpec.Given(Placed()).When(new ConfirmPayment(Id, 500m, "", T1)).Throws("payment_reference_missing", OrderRuleKind.InvalidInput);

    [Fact]
    public void paying_a_cancelled_or_shipped_order_is_refused()
    {
        OrderSpec.Given(Placed(), Cancelled()).When(new ConfirmPayment(Id, 500m, "pay-1", T1)).Throws("order_cancelled", OrderRuleKind.StateConflict);
        OrderSpec.Given(Placed(), Paid(), Shipped()).When(new ConfirmPayment(Id, 500m, "pay-1", T1)).Throws("order_shipped", OrderRuleKind.StateConflict);
    }

    [Fact]
    public void paying_an_unknown_order_is_refused() =>
        OrderSpec.Given().When(new ConfirmPayment(Id, 500m, "pay-1", T1)).Throws("order_not_found", OrderRuleKind.StateConflict);

    [Fact]
    public void shipping_a_paid_order_records_carrier_and_tracking() =>
        OrderSpec.Given(Placed(), Paid()).When(new ShipOrder(Id, "BlueDart", "BD123", T0.AddDays(1))).Then(Shipped());

    [Fact]
    public void shipping_before_payment_is_refused() =>
        OrderSpec.Given(Placed()).When(new ShipOrder(Id, "BlueDart", "BD123", T1)).Throws("not_paid", OrderRuleKind.StateConflict);

    [Fact]
    public void shipping_twice_is_refused() =>
        OrderSpec.Given(Placed(), Paid(), Shipped()).When(new ShipOrder(Id, "BlueDart", "BD124", T1)).Throws("order_shipped", OrderRuleKind.StateConflict);

    [Fact]
    public void shipping_a_cancelled_order_is_refused() =>
        OrderSpec.Given(Placed(), Cancelled()).When(new ShipOrder(Id, "BlueDart", "BD123", T1)).Throws("order_cancelled", OrderRuleKind.StateConflict);

    [Fact]
    public void shipping_needs_a_carrier_and_tracking_number()
    {
        OrderSpec.Given(Placed(), Paid()).When(new ShipOrder(Id, "", "BD123", T1)).Throws("carrier_missing", OrderRuleKind.InvalidInput);
        OrderSpec.Given(Placed(), Paid()).When(new ShipOrder(Id, "BlueDart", " ", T1)).Throws("tracking_number_missing", OrderRuleKind.InvalidInput);
    }

    [Fact]
    public void cancelling_records_the_reason() =>
        OrderSpec.Given(Placed()).When(new CancelOrder(Id, "customer changed their mind", T0.AddHours(1))).Then(Cancelled());

    [Fact]
    public void a_paid_order_can_still_be_cancelled_and_the_payment_is_refunded() =>
        OrderSpec.Given(Placed(), Paid()).When(new CancelOrder(Id, "customer changed their mind", T0.AddHours(1))).Then(Cancelled(refunded: 500m));

    [Fact]
    public void cancelling_needs_a_reason() =>
        OrderSpec.Given(Placed()).When(new CancelOrder(Id, "  ", T1)).Throws("cancellation_reason_missing", OrderRuleKind.InvalidInput);

    [Fact]
    public void cancelling_a_shipped_order_is_refused() =>
        OrderSpec.Given(Placed(), Paid(), Shipped()).When(new CancelOrder(Id, "too late", T1)).Throws("order_shipped", OrderRuleKind.StateConflict);

    [Fact]
    public void cancelling_twice_is_refused() =>
        OrderSpec.Given(Placed(), Cancelled()).When(new CancelOrder(Id, "again", T1)).Throws("order_cancelled", OrderRuleKind.StateConflict);

    [Fact]
    public void cancelling_an_unknown_order_is_refused() =>
        OrderSpec.Given().When(new CancelOrder(Id, "why", T1)).Throws("order_not_found", OrderRuleKind.StateConflict);

    [Fact]
    public void evolving_the_whole_life_of_an_order_gives_its_state()
    {
        var state = OrderDecider.Fold([Placed(Tea, Mug), Paid(899m), Shipped()]);
        Assert.Equal(OrderStatus.Shipped, state.Status);
        Assert.Equal(899m, state.Total);
        Assert.Equal(T0, state.PlacedAt);
        Assert.Equal(T0.AddMinutes(5), state.PaidAt);
        Assert.Equal(T0.AddDays(1), state.ShippedAt);
        Assert.Equal("INR", state.Currency);
    }
}
