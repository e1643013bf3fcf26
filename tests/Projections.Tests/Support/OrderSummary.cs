using EventSourcing.Projections.Definitions;

namespace EventSourcing.Projections.Tests.Support;

public sealed record OrderSummary(Guid Id, string Customer, decimal Total, string Status, int Changes, string? Note = null);

/// <summary>The test read model. With <c>brokenOnNote</c> set, a note with that text throws: a poison event until fixed.</summary>
public sealed class OrderSummaryProjection : ReadModelProjection<OrderSummary>
{
    public OrderSummaryProjection(string name = "order_summary", int version = 1, string? brokenOnNote = null)
        : base(name, version)
    {
        Create<OrderPlaced>(e => e.OrderId, e => new OrderSummary(e.OrderId, e.Customer, e.Total, "placed", 1));
        Project<OrderShipped>(e => e.OrderId, (doc, e) => doc with { Status = "shipped by " + e.Carrier, Changes = doc.Changes + 1 });
        Project<OrderNoted>(ByStream, (doc, e) => e.Note == brokenOnNote
            ? throw new InvalidOperationException($"cannot handle note '{e.Note}'")
            : doc with { Note = e.Note, Changes = doc.Changes + 1 });
        Delete<OrderPurged>(e => e.OrderId);
        SearchIndex = SearchIndexDefinition.Parse("""{"properties":{"customer":{"type":"keyword"},"status":{"type":"keyword"}}}""");
    }
}
