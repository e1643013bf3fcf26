using EventSourcing.Projections.Definitions;
using OrderDomain.Orders;

namespace OrderDomain.Search;

/// <summary>The <c>order_search</c> read model: one document per order, kept by the projection host.</summary>
public sealed class OrderSearchProjection : ReadModelProjection<OrderSearchDocument>
{
    public const string ReadModelName = "order_search";

    public OrderSearchProjection() : base(ReadModelName, version: 1)
    {
        SearchIndex = OrderSearchMappings.Index;
        Create<OrderPlaced>(e => e.OrderId, e => new OrderSearchDocument(
            e.OrderId, e.CustomerId, e.CustomerName, "placed",
            [.. e.Lines.Select(l => new OrderSearchLine(l.Sku, l.ProductName, l.Quantity, l.UnitPrice))],
            e.Lines.Sum(l => l.Quantity * l.UnitPrice), e.Currency, e.PlacedAt, null, null, null,
            e.ShippingAddress.City, e.ShippingAddress.Country));
        Project<ItemAdded>(e => e.OrderId, (doc, e) => WithLines(doc, Merge(doc.Lines, e.Line)));
        Project<ItemRemoved>(e => e.OrderId, (doc, e) => WithLines(doc, [.. doc.Lines.Where(l => l.Sku != e.Sku)]));
        Project<PaymentConfirmed>(e => e.OrderId, (doc, e) => doc with { Status = "paid", PaidAt = e.PaidAt });
        Project<OrderShipped>(e => e.OrderId, (doc, e) => doc with { Status = "shipped", ShippedAt = e.ShippedAt });
        Project<OrderCancelled>(e => e.OrderId, (doc, e) => doc with { Status = "cancelled", CancelledAt = e.CancelledAt });
    }

    private static OrderSearchDocument WithLines(OrderSearchDocument doc, IReadOnlyList<OrderSearchLine> lines) =>
        doc with { Lines = lines, Total = lines.Sum(l => l.Quantity * l.UnitPrice) };

    private static IReadOnlyList<OrderSearchLine> Merge(IReadOnlyList<OrderSearchLine> lines, OrderLine added) =>
        lines.Any(l => l.Sku == added.Sku)
            ? [.. lines.Select(l => l.Sku == added.Sku ? l with { Quantity = l.Quantity + added.Quantity } : l)]
            : [.. lines, new OrderSearchLine(added.Sku, added.ProductName, added.Quantity, added.UnitPrice)];
}
