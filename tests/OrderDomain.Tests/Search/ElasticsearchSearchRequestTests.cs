using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using OrderDomain.Search;

namespace EventSourcing.OrderDomain.Tests.Search;

/// <summary>
/// The Elasticsearch search over the client's in-memory transport: one <c>_search</c> request per search, carrying
/// the query, the status aggregation, the page and exact total hits, and an answer built from that one response
/// only, so its total, hits and facets come from the same point in time.
/// </summary>
public sealed class ElasticsearchSearchRequestTests
{
    private static readonly OrderSearchQuery[] Queries =
    [
        OrderSearchQuery.All,
        OrderSearchQuery.Parse("tea", "paid,shipped", "cust-asha", "2026-03-01", null, "100", null, "-total", "2", "3"),
        OrderSearchQuery.Parse(null, "cancelled", null, null, null, null, null, "customerName", null, null),
    ];

    [Fact]
    public async Task each_search_sends_exactly_one_search_request_and_answers_from_its_response_alone()
    {
        using var transport = new SearchRequestCounter(Response);
        var client = new ElasticsearchClient(new ElasticsearchClientSettings(new Elastic.Transport.SingleNodePool(new Uri("http://localhost:9200")), transport));
        var search = new ElasticsearchOrderSearch(client);

        for (var i = 0; i < 9; i++)
        {
            var result = await search.SearchAsync(Queries[i % Queries.Length], CancellationToken.None);

            Assert.Equal(i + 1, transport.Requests.Count);
            // response i holds total 10 + i, order i as the only hit and facets paid 10 + i, placed i: all three come from it
            Assert.Equal(10 + i, result.Total);
            Assert.Equal(Id(i), Assert.Single(result.Hits).OrderId);
            Assert.Equal(10 + i, result.StatusFacets["paid"]);
            Assert.Equal(i, result.StatusFacets["placed"]);
        }

        Assert.All(transport.Requests, r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.StartsWith("/order_search/_search", r.Path, StringComparison.Ordinal);
            var body = JsonNode.Parse(r.Body!)!;
            Assert.True(body["track_total_hits"]!.GetValue<bool>());
            Assert.NotNull(body["aggregations"]?[ElasticsearchOrderSearch.StatusAggregation]);
            Assert.NotNull(body["size"]);
        });
    }

    private static Guid Id(int number) => new(number, 1, 1, new byte[8]);

    /// <summary>A search response in the documented shape (<c>typed_keys</c> names the aggregation <c>sterms#statuses</c>).</summary>
    private static string Response(int number)
    {
        var document = new JsonObject
        {
            ["orderId"] = Id(number).ToString("D"), ["customerId"] = "cust-asha", ["customerName"] = "Asha Rao", ["status"] = "paid",
            ["lines"] = new JsonArray(), ["total"] = 500m, ["currency"] = "INR", ["placedAt"] = "2026-03-01T10:00:00+00:00",
            ["paidAt"] = null, ["shippedAt"] = null, ["cancelledAt"] = null, ["shippingCity"] = "Bengaluru", ["shippingCountry"] = "IN",
        };
        var id = Id(number).ToString("D");
        return new JsonObject
        {
            ["took"] = 3, ["timed_out"] = false,
            ["_shards"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["skipped"] = 0, ["failed"] = 0 },
            ["hits"] = new JsonObject
            {
                ["total"] = new JsonObject { ["value"] = 10 + number, ["relation"] = "eq" },
                ["max_score"] = null,
                ["hits"] = new JsonArray(new JsonObject
                {
                    ["_index"] = "order_search-v1", ["_id"] = id, ["_score"] = null, ["_source"] = document,
                    ["sort"] = new JsonArray(1772359200000L, 1772359200000L, id),
                }),
            },
            ["aggregations"] = new JsonObject
            {
                ["sterms#" + ElasticsearchOrderSearch.StatusAggregation] = new JsonObject
                {
                    ["doc_count_error_upper_bound"] = 0, ["sum_other_doc_count"] = 0,
                    ["buckets"] = new JsonArray(
                        new JsonObject { ["key"] = "paid", ["doc_count"] = 10 + number },
                        new JsonObject { ["key"] = "placed", ["doc_count"] = number }),
                },
            },
        }.ToJsonString();
    }
}
