namespace OrderDomain.Orders;

/// <summary>How a broken rule maps to the caller: bad input, or a request the order's current state refuses.</summary>
public enum OrderRuleKind
{
    /// <summary>The command itself is malformed (e.g. a quantity of 0). HTTP 400.</summary>
    InvalidInput,

    /// <summary>The command is well formed but the order's state forbids it (e.g. shipping before payment). HTTP 409.</summary>
    StateConflict,
}

/// <summary>A domain rule the command would break. <see cref="Rule"/> is a stable code; the message names the offending value.</summary>
public sealed class OrderRuleViolated : Exception
{
    public OrderRuleViolated(string rule, OrderRuleKind kind, string message) : base(message)
    {
        Rule = rule;
        Kind = kind;
    }

    public OrderRuleViolated()
    {
        Rule = "unknown";
    }

    public OrderRuleViolated(string message) : base(message)
    {
        Rule = "unknown";
    }

    public OrderRuleViolated(string message, Exception innerException) : base(message, innerException)
    {
        Rule = "unknown";
    }

    public string Rule { get; }

    public OrderRuleKind Kind { get; }

    internal static OrderRuleViolated Invalid(string rule, string message) => new(rule, OrderRuleKind.InvalidInput, message);

    internal static OrderRuleViolated Conflict(string rule, string message) => new(rule, OrderRuleKind.StateConflict, message);
}
