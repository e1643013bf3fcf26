namespace OrderDomain.Customers;

/// <summary>
/// One customer's orders at a glance. <see cref="LifetimeValue"/> is what the customer paid and kept, per
/// currency (a refund on cancellation takes it back out).
/// </summary>
public sealed record CustomerOrdersDocument(
    string CustomerId,
    string CustomerName,
    int OrderCount,
    IReadOnlyDictionary<string, decimal> LifetimeValue,
    Guid LastOrderId,
    DateTimeOffset LastOrderAt);
