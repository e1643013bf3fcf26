using EventSourcing.Projections.Sinks.Elasticsearch;
using EventSourcing.Projections.Tests.Elasticsearch.Transport;
using static EventSourcing.Projections.Tests.Elasticsearch.OrderSummaryIndex;
using static EventSourcing.Projections.Tests.Elasticsearch.Transport.EsResponses;

namespace EventSourcing.Projections.Tests.Elasticsearch;

/// <summary>How the search side queries a read model: the typed DSL of the same client, always through the alias.</summary>
public sealed class AliasQueryTests
{
    [Fact]
    public async Task searches_address_the_alias_with_the_typed_query_dsl()
    {
        using var es = new ScriptedElasticsearch().On("POST", "/order_search/_search", Ok("""
            {"took":2,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
             "hits":{"total":{"value":1,"relation":"eq"},"max_score":1.0,
                     "hits":[{"_index":"order_search-v2","_id":"o-1","_score":1.0,"_source":{"orderId":"o-1","customerId":"c-1","status":"placed","total":10.5,"placedAt":"2026-11-26T08:00:01+00:00"}}]}}
            """));
        var sink = new ElasticsearchSink(es.Client(), ScriptedElasticsearch.DefaultOptions);
        var client = sink.Client;
        var customerId = "c-1";
        var cancellationToken = CancellationToken.None;

        // begin-snippet: es-alias-query
        var response = await client.SearchAsync<OrderSummary>(s => s
            .Indices(ElasticsearchSink.AliasOf("order_search"))
            .Query(q => q.Term(t => t.Field(f => f.CustomerId).Value(customerId))), cancellationToken);
        // end-snippet

        Assert.True(response.IsValidResponse);
        Assert.Equal(Order(1), Assert.Single(response.Documents));
        var request = Assert.Single(es.Requests);
        Assert.Equal("""{"query":{"term":{"customerId":{"value":"c-1"}}}}""", request.Body);
    }
}
