using EventSourcing.Projections.Definitions;
using OrderDomain.Orders;

namespace OrderDomain.Customers;

/// <summary>The <c>customer_orders</c> read model: order count, lifetime value and last order per customer.</summary>
public sealed class CustomerOrdersProjection : ReadModelProjection<CustomerOrdersDocument>
{
    public const string ReadModelName = "customer_orders";

    public CustomerOrdersProjection() : base(ReadModelName, version: 1)
    {
        Upsert<OrderPlaced>(e => e.CustomerId, (doc, e) => doc is null
            ? new CustomerOrdersDocument(e.CustomerId, e.CustomerName, 1, new Dictionary<string, decimal>(StringComparer.Ordinal), e.OrderId, e.PlacedAt)
            : doc with
            {
                CustomerName = e.CustomerName,
                OrderCount = doc.OrderCount + 1,
                LastOrderId = e.PlacedAt >= doc.LastOrderAt ? e.OrderId : doc.LastOrderId,
                LastOrderAt = e.PlacedAt >= doc.LastOrderAt ? e.PlacedAt : doc.LastOrderAt,
            });
        Project<PaymentConfirmed>(e => e.CustomerId, (doc, e) => doc with { LifetimeValue = Add(doc.LifetimeValue, e.Currency, e.Amount) });
        Project<OrderCancelled>(e => e.CustomerId, (doc, e) => e.RefundedAmount == 0m
            ? doc
            : doc with { LifetimeValue = Add(doc.LifetimeValue, e.Currency, -e.RefundedAmount) });
    }

    private static IReadOnlyDictionary<string, decimal> Add(IReadOnlyDictionary<string, decimal> values, string currency, decimal amount)
    {
        var copy = new Dictionary<string, decimal>(values, StringComparer.Ordinal);
        copy[currency] = copy.GetValueOrDefault(currency) + amount;
        return copy;
    }
}
