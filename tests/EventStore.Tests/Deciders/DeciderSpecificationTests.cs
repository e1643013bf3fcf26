using EventSourcing.EventStore.Testing;
using EventSourcing.EventStore.Tests.Support;

namespace EventSourcing.EventStore.Tests.Deciders;

public sealed class DeciderSpecificationTests
{
    private static readonly Guid Id = Guid.NewGuid();

    [Fact]
    public void given_events_when_a_command_then_the_decided_events()
    {
        DeciderSpecification.For(Counter.Decider)
            .Given(new CounterOpened(Id, "g"))
            .When(new Increment(Id, 3))
            .Then(new CounterIncremented(Id, 3))
            .ThenState(s => s.Total == 3, "the increment is applied");
    }

    [Fact]
    public void a_rule_violation_is_asserted_with_throws()
    {
        var error = DeciderSpecification.For(Counter.Decider)
            .When(new Increment(Id, 1))
            .Throws<CounterRuleViolated>();
        Assert.Equal("counter is not open", error.Message);
    }

    [Fact]
    public void deciding_nothing_is_asserted_with_then_nothing()
    {
        DeciderSpecification.For(Counter.Decider)
            .Given(new CounterOpened(Id, "g"), new CounterClosed(Id))
            .When(new CloseCounter(Id))
            .ThenNothing();
    }

    [Fact]
    public void a_wrong_expectation_fails_with_both_event_lists()
    {
        var failure = Assert.Throws<DeciderSpecificationException>(() =>
            DeciderSpecification.For(Counter.Decider)
                .Given(new CounterOpened(Id, "g"))
                .When(new Increment(Id, 3))
                .Then(new CounterIncremented(Id, 4)));
        Assert.Contains("By = 4", failure.Message, StringComparison.Ordinal);
        Assert.Contains("By = 3", failure.Message, StringComparison.Ordinal);

        Assert.Throws<DeciderSpecificationException>(() =>
            DeciderSpecification.For(Counter.Decider).When(new Increment(Id, 1)).Then(new CounterIncremented(Id, 1)));
        Assert.Throws<DeciderSpecificationException>(() =>
            DeciderSpecification.For(Counter.Decider).When(new OpenCounter(Id, "x")).Throws<CounterRuleViolated>());
    }
}
