using EventSourcing.Projections.Definitions;

namespace EventSourcing.Benchmarks.Elasticsearch;

internal sealed record BenchOrderPlaced(string OrderId, string CustomerId, DateTimeOffset At);

internal sealed record BenchItemAdded(string OrderId, string Sku, int Quantity, decimal Price);

internal sealed record BenchOrderPaid(string OrderId, decimal Amount);

internal sealed record BenchOrderShipped(string OrderId, string Carrier);

internal sealed record BenchOrder(string OrderId, string CustomerId, string Status, int Items, decimal Total, string? Carrier, DateTimeOffset PlacedAt);

/// <summary>An order-search-like read model: one document per order, five events per order.</summary>
internal sealed class BenchOrderProjection : ReadModelProjection<BenchOrder>
{
    public BenchOrderProjection() : base("bench_orders", version: 1)
    {
        Create<BenchOrderPlaced>(e => e.OrderId, e => new BenchOrder(e.OrderId, e.CustomerId, "placed", 0, 0m, null, e.At));
        Project<BenchItemAdded>(e => e.OrderId, (d, e) => d with { Items = d.Items + e.Quantity, Total = d.Total + e.Quantity * e.Price });
        Project<BenchOrderPaid>(e => e.OrderId, (d, e) => d with { Status = "paid" });
        Project<BenchOrderShipped>(e => e.OrderId, (d, e) => d with { Status = "shipped", Carrier = e.Carrier });
    }

    /// <summary>Events of <paramref name="orders"/> orders, interleaved in global order as concurrent traffic would be.</summary>
    public static List<ProjectedEvent> Events(int orders)
    {
        var events = new List<ProjectedEvent>(orders * 5);
        var start = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
        long sequence = 0;
        const int Wave = 100; // 100 orders in flight at a time
        for (var first = 0; first < orders; first += Wave)
        {
            var last = Math.Min(first + Wave, orders);
            for (var step = 0; step < 5; step++)
            {
                for (var n = first; n < last; n++)
                {
                    var id = "order-" + n.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
                    object data = step switch
                    {
                        0 => new BenchOrderPlaced(id, "customer-" + (n % 997), start.AddSeconds(n)),
                        1 => new BenchItemAdded(id, "sku-" + (n % 31), 1 + n % 3, 9.99m),
                        2 => new BenchItemAdded(id, "sku-" + (n % 17), 2, 24.50m),
                        3 => new BenchOrderPaid(id, 58.97m),
                        _ => new BenchOrderShipped(id, "dhl"),
                    };
                    sequence++;
                    events.Add(new ProjectedEvent(data, sequence, id, Guid.Empty, data.GetType().Name, start.AddSeconds(sequence)));
                }
            }
        }

        return events;
    }
}
