using EventSourcing.Projections.Definitions;
using Marten;
using Marten.Events.Aggregation;

namespace EventSourcing.Benchmarks.Projections;

public sealed record BenchOrderPlaced(Guid OrderId, string Customer, decimal Total);

public sealed record BenchOrderShipped(Guid OrderId, string Carrier);

public sealed record BenchOrderNoted(Guid OrderId, string Note);

/// <summary>The read model both sides build: ours as a jsonb row, Marten's as its document.</summary>
public sealed record BenchOrder(Guid Id, string Customer, decimal Total, string Status, int Changes, string? Note);

/// <summary>Ours: the read model declared with the projection API, written by the PostgreSQL sink.</summary>
public sealed class BenchOrderProjection : ReadModelProjection<BenchOrder>
{
    public BenchOrderProjection() : base("bench_orders", 1)
    {
        Create<BenchOrderPlaced>(e => e.OrderId, e => new BenchOrder(e.OrderId, e.Customer, e.Total, "placed", 1, null));
        Project<BenchOrderShipped>(e => e.OrderId, (d, e) => d with { Status = "shipped by " + e.Carrier, Changes = d.Changes + 1 });
        Project<BenchOrderNoted>(e => e.OrderId, (d, e) => d with { Note = e.Note, Changes = d.Changes + 1 });
    }
}

/// <summary>The baseline: the same document built by Marten's own async single-stream projection.</summary>
public sealed class MartenBenchOrderProjection : SingleStreamProjection<BenchOrder, Guid>
{
    public static BenchOrder Create(BenchOrderPlaced e) => new(e.OrderId, e.Customer, e.Total, "placed", 1, null);

    public static BenchOrder Apply(BenchOrderShipped e, BenchOrder d) => d with { Status = "shipped by " + e.Carrier, Changes = d.Changes + 1 };

    public static BenchOrder Apply(BenchOrderNoted e, BenchOrder d) => d with { Note = e.Note, Changes = d.Changes + 1 };
}

internal static class BenchLog
{
    /// <summary>10 events an order: placed, 8 notes, shipped; 100 orders a transaction.</summary>
    public static async Task SeedAsync(IDocumentStore store, int events, CancellationToken ct)
    {
        foreach (var chunk in Enumerable.Range(0, events / 10).Chunk(100))
        {
            await using var session = store.LightweightSession();
            foreach (var i in chunk)
            {
                var id = Guid.NewGuid();
                var stream = new List<object> { new BenchOrderPlaced(id, "c" + i, i) };
                stream.AddRange(Enumerable.Range(0, 8).Select(n => new BenchOrderNoted(id, "n" + n)));
                stream.Add(new BenchOrderShipped(id, "dhl"));
                session.Events.StartStream(id, stream);
            }

            await session.SaveChangesAsync(ct);
        }
    }
}
