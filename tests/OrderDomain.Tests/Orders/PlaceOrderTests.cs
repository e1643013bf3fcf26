using OrderDomain.Orders;
using static EventSourcing.OrderDomain.Tests.Orders.OrderData;

namespace EventSourcing.OrderDomain.Tests.Orders;

public sealed class PlaceOrderTests
{
    [Fact]
    public void placing_a_new_order_records_it_with_its_lines_address_and_currency() =>
        OrderSpec.Given().When(Place(Tea, Mug)).Then(Placed(Tea, Mug));

    [Fact]
    public void placing_an_order_twice_is_a_conflict() =>
        OrderSpec.Given(Placed()).When(Place()).Throws("order_exists", OrderRuleKind.StateConflict);

    [Fact]
    public void an_order_needs_at_least_one_line() =>
        OrderSpec.Given().When(Place() with { Lines = [] }).Throws("lines_missing", OrderRuleKind.InvalidInput);

    [Fact]
    public void an_order_may_not_exceed_the_maximum_number_of_lines()
    {
        var lines = Enumerable.Range(0, OrderRules.MaxLines + 1).Select(i => Tea with { Sku = $"SKU-{i}" }).ToArray();
        var error = OrderSpec.Given().When(Place(lines)).Throws("too_many_lines", OrderRuleKind.InvalidInput);
        Assert.Contains("at most 20 lines, got 21", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void an_order_with_the_maximum_number_of_lines_is_accepted()
    {
        var lines = Enumerable.Range(0, OrderRules.MaxLines).Select(i => Tea with { Sku = $"SKU-{i}" }).ToArray();
        OrderSpec.Given().When(Place(lines)).Then(Placed(lines));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void quantities_must_be_above_zero(int quantity)
    {
        var error = OrderSpec.Given().When(Place(Tea with { Quantity = quantity })).Throws("quantity_not_positive", OrderRuleKind.InvalidInput);
        Assert.Contains($"was {quantity}", error.Message, StringComparison.Ordinal);
        Assert.Contains("TEA-001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void prices_must_not_be_negative()
    {
        var error = OrderSpec.Given().When(Place(Tea with { UnitPrice = -0.01m })).Throws("price_negative", OrderRuleKind.InvalidInput);
        Assert.Contains("-0.01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_free_item_is_allowed() =>
        OrderSpec.Given().When(Place(Tea with { UnitPrice = 0m })).Then(Placed(Tea with { UnitPrice = 0m }));

    [Fact]
    public void a_sku_may_appear_on_one_line_only() =>
        OrderSpec.Given().When(Place(Tea, Tea)).Throws("duplicate_sku", OrderRuleKind.InvalidInput);

    [Theory]
    [InlineData("inr")]
    [InlineData("RUPEES")]
    [InlineData("")]
    public void the_currency_must_be_an_iso_code(string currency) =>
        OrderSpec.Given().When(Place() with { Currency = currency }).Throws("currency_invalid", OrderRuleKind.InvalidInput);

    [Fact]
    public void a_customer_is_required()
    {
        OrderSpec.Given().When(Place() with { CustomerId = " " }).Throws("customer_id_missing", OrderRuleKind.InvalidInput);
        OrderSpec.Given().When(Place() with { CustomerName = "" }).Throws("customer_name_missing", OrderRuleKind.InvalidInput);
    }

    [Fact]
    public void a_complete_shipping_address_is_required()
    {
        OrderSpec.Given().When(Place() with { ShippingAddress = null! }).Throws("address_missing", OrderRuleKind.InvalidInput);
        OrderSpec.Given().When(Place() with { ShippingAddress = Address with { City = "" } }).Throws("city_missing", OrderRuleKind.InvalidInput);
    }

    [Fact]
    public void oversized_text_is_refused_with_its_length()
    {
        var error = OrderSpec.Given().When(Place() with { CustomerName = new string('x', 201) }).Throws("customer_name_too_long", OrderRuleKind.InvalidInput);
        Assert.Contains("was 201", error.Message, StringComparison.Ordinal);
    }
}
