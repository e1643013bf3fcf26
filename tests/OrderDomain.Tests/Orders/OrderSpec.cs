using System.Text.Json;
using OrderDomain.Orders;

namespace EventSourcing.OrderDomain.Tests.Orders;

/// <summary>
/// Given/When/Then over the order decider. Events are compared by type and JSON shape, so records that
/// hold lists compare by content.
/// </summary>
internal sealed class OrderSpec
{
    private readonly object[] _given;
    private OrderCommand? _when;

    private OrderSpec(object[] given) => _given = given;

    public static OrderSpec Given(params object[] events) => new(events);

    public OrderSpec When(OrderCommand command)
    {
        _when = command;
        return this;
    }

    public void Then(params object[] expected)
    {
        var actual = OrderDecider.Decide(_when!, OrderDecider.Fold(_given));
        Assert.Equal(Describe(expected), Describe(actual));
    }

    public OrderRuleViolated Throws(string rule, OrderRuleKind kind)
    {
        var error = Assert.Throws<OrderRuleViolated>(() => OrderDecider.Decide(_when!, OrderDecider.Fold(_given)));
        Assert.Equal(rule, error.Rule);
        Assert.Equal(kind, error.Kind);
        return error;
    }

    private static string[] Describe(IEnumerable<object> events) =>
        [.. events.Select(e => e.GetType().Name + " " + JsonSerializer.Serialize(e, e.GetType()))];
}
