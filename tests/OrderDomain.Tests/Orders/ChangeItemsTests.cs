using OrderDomain.Orders;
using static EventSourcing.OrderDomain.Tests.Orders.OrderData;

namespace EventSourcing.OrderDomain.Tests.Orders;

public sealed class ChangeItemsTests
{
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);

    [Fact]
    public void adding_an_item_records_the_new_line() =>
        OrderSpec.Given(Placed()).When(new AddItem(Id, Mug, T1)).Then(new ItemAdded(Id, Mug, T1));

    [Fact]
    public void adding_more_of_a_sku_on_the_order_adds_to_its_quantity()
    {
        var state = OrderDecider.Fold([Placed(), new ItemAdded(Id, Tea with { Quantity = 3 }, T1)]);
        Assert.Equal(5, Assert.Single(state.Lines).Quantity);
        Assert.Equal(1250m, state.Total);
    }

    [Fact]
    public void adding_a_sku_at_another_price_is_refused() =>
        OrderSpec.Given(Placed()).When(new AddItem(Id, Tea with { UnitPrice = 1m }, T1)).Throws("price_mismatch", OrderRuleKind.InvalidInput);

    [Fact]
    public void adding_an_item_with_zero_quantity_is_refused() =>
        OrderSpec.Given(Placed()).When(new AddItem(Id, Mug with { Quantity = 0 }, T1)).Throws("quantity_not_positive", OrderRuleKind.InvalidInput);

    [Fact]
    public void adding_an_item_with_a_negative_price_is_refused() =>
        OrderSpec.Given(Placed()).When(new AddItem(Id, Mug with { UnitPrice = -1m }, T1)).Throws("price_negative", OrderRuleKind.InvalidInput);

    [Fact]
    public void adding_a_line_past_the_maximum_is_refused()
    {
        var lines = Enumerable.Range(0, OrderRules.MaxLines).Select(i => Tea with { Sku = $"SKU-{i}" }).ToArray();
        OrderSpec.Given(Placed(lines)).When(new AddItem(Id, Mug, T1)).Throws("too_many_lines", OrderRuleKind.InvalidInput);
    }

    [Fact]
    public void adding_to_an_unknown_order_is_refused() =>
        OrderSpec.Given().When(new AddItem(Id, Mug, T1)).Throws("order_not_found", OrderRuleKind.StateConflict);

    [Fact]
    public void adding_after_payment_is_refused() =>
        OrderSpec.Given(Placed(), Paid()).When(new AddItem(Id, Mug, T1)).Throws("order_paid", OrderRuleKind.StateConflict);

    [Fact]
    public void adding_after_shipping_is_refused() =>
        OrderSpec.Given(Placed(), Paid(), Shipped()).When(new AddItem(Id, Mug, T1)).Throws("order_shipped", OrderRuleKind.StateConflict);

    [Fact]
    public void adding_after_cancellation_is_refused() =>
        OrderSpec.Given(Placed(), Cancelled()).When(new AddItem(Id, Mug, T1)).Throws("order_cancelled", OrderRuleKind.StateConflict);

    [Fact]
    public void removing_an_item_records_its_sku() =>
        OrderSpec.Given(Placed(Tea, Mug)).When(new RemoveItem(Id, "MUG-002", T1)).Then(new ItemRemoved(Id, "MUG-002", T1));

    [Fact]
    public void removing_a_sku_that_is_not_on_the_order_is_refused() =>
        OrderSpec.Given(Placed(Tea, Mug)).When(new RemoveItem(Id, "NOPE", T1)).Throws("sku_not_on_order", OrderRuleKind.InvalidInput);

    [Fact]
    public void removing_the_last_line_is_refused() =>
        OrderSpec.Given(Placed()).When(new RemoveItem(Id, "TEA-001", T1)).Throws("last_line", OrderRuleKind.StateConflict);

    [Fact]
    public void removing_after_payment_shipping_or_cancellation_is_refused()
    {
        OrderSpec.Given(Placed(Tea, Mug), Paid(899m)).When(new RemoveItem(Id, "MUG-002", T1)).Throws("order_paid", OrderRuleKind.StateConflict);
        OrderSpec.Given(Placed(Tea, Mug), Paid(899m), Shipped()).When(new RemoveItem(Id, "MUG-002", T1)).Throws("order_shipped", OrderRuleKind.StateConflict);
        OrderSpec.Given(Placed(Tea, Mug), Cancelled()).When(new RemoveItem(Id, "MUG-002", T1)).Throws("order_cancelled", OrderRuleKind.StateConflict);
    }

    [Fact]
    public void removing_a_line_changes_the_total()
    {
        var state = OrderDecider.Fold([Placed(Tea, Mug), new ItemRemoved(Id, "TEA-001", T1)]);
        Assert.Equal(399m, state.Total);
    }
}
