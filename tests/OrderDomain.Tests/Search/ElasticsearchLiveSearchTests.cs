using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Sinks.Elasticsearch;
using EventSourcing.TestInfrastructure;
using OrderDomain.Search;

namespace EventSourcing.OrderDomain.Tests.Search;

/// <summary>
/// The Elasticsearch search against a live server (ELASTICSEARCH_URL, e.g. after 'docker compose up -d'), with
/// documents written through the real sink and the projection's mappings: the same response shape as PostgreSQL.
/// Skipped with a visible reason when the variable is not set.
/// </summary>
public sealed class ElasticsearchLiveSearchTests
{
    private static OrderSearchDocument Doc(string customer, string name, string city, string status, decimal total, int day) =>
        new(Guid.NewGuid(), customer, name, status, [new OrderSearchLine("TEA-001", "Assam Tea 500g", 1, total)], total, "INR",
            new DateTimeOffset(2026, 3, day, 10, 0, 0, TimeSpan.Zero), null, null, null, city, "IN");

    [SkippableFact]
    public async Task search_on_elasticsearch_returns_hits_total_and_status_facets()
    {
        var url = LiveServices.RequireElasticsearch();
        var options = new ElasticsearchOptions { Urls = [url], Refresh = RefreshPolicy.WaitFor }.Validate();
        var client = ElasticsearchClientFactory.Create(options);
        var sink = new ElasticsearchSink(client, options);
        var projection = new OrderSearchProjection();
        var target = ReadModelTarget.For(projection);
        await sink.PrepareAsync(target, CancellationToken.None);
        await sink.SwapAsync(target, CancellationToken.None);

        var customer = "live-" + Guid.NewGuid().ToString("N")[..8];
        var docs = new[] { Doc(customer, "Asha Rao", "Bengaluru", "paid", 500m, 1), Doc(customer, "Asha Rao", "Mumbai", "placed", 900m, 2) };
        var changes = docs.Select((d, i) => new DocumentChange(d.OrderId.ToString("D"), d, 1_000_000 + i, new[] { 1_000_000L + i })).ToList();
        await sink.WriteAsync(target, changes, SinkWriteContext.Direct, CancellationToken.None);

        var search = new ElasticsearchOrderSearch(client);
        var result = await search.SearchAsync(OrderSearchQuery.Parse("tea", "paid", customer, null, null, null, null, "-total", null, null), CancellationToken.None);

        Assert.Equal(1, result.Total);
        Assert.Equal(docs[0].OrderId, Assert.Single(result.Hits).OrderId);
        Assert.Equal(1, result.StatusFacets["paid"]);
        Assert.Equal(1, result.StatusFacets["placed"]);
    }
}
