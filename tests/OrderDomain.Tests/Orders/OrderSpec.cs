using EventSourcing.EventStore.Testing;
using OrderDomain.Orders;

namespace EventSourcing.OrderDomain.Tests.Orders;

/// <summary>
/// Given/When/Then over the order decider with the EventStore's <see cref="DeciderSpecification"/>:
/// <c>OrderSpec.Given(events).When(command).Then(events)</c> or <c>.Throws(rule, kind)</c>.
/// </summary>
internal static class OrderSpec
{
    public static DeciderSpecification<Order, OrderCommand> Given(params object[] events) =>
        DeciderSpecification.For(OrderAggregate.Decider).Given(events);

    /// <summary>Asserts the decider refused the command with <paramref name="rule"/>, as bad input or as a state conflict.</summary>
    public static OrderRuleViolated Throws(this DeciderOutcome<Order> outcome, string rule, OrderRuleKind kind)
    {
        var error = outcome.Throws<OrderRuleViolated>();
        Assert.Equal(rule, error.Rule);
        Assert.Equal(kind, error.Kind);
        return error;
    }
}
