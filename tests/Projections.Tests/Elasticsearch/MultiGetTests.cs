using EventSourcing.Projections.Sinks.Elasticsearch;
using EventSourcing.Projections.Tests.Elasticsearch.Transport;
using Snapshooter.Xunit;
using static EventSourcing.Projections.Tests.Elasticsearch.OrderSummaryIndex;
using static EventSourcing.Projections.Tests.Elasticsearch.Transport.EsResponses;

namespace EventSourcing.Projections.Tests.Elasticsearch;

public sealed class MultiGetTests
{
    private const string Index = "orders-v1";

    [Fact]
    public async Task a_batch_loads_its_documents_with_one_mget_and_their_versions()
    {
        var snapshot = Snapshot.FullName();
        using var es = new ScriptedElasticsearch().On("POST", "/orders-v1/_mget",
            MultiGet(Found(Index, "o-1", 17, Order(1)), NotFound(Index, "o-2"), Found(Index, "o-3", 25, Order(3, "shipped"))));

        var documents = await new ElasticsearchDocumentReader(es.Client()).LoadAsync<OrderSummary>(Index, ["o-1", "o-2", "o-3", "o-1"], CancellationToken.None);

        Assert.Equal(["o-1", "o-3"], documents.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new VersionedDocument<OrderSummary>("o-1", Order(1), 17), documents["o-1"]);
        Assert.Equal(new VersionedDocument<OrderSummary>("o-3", Order(3, "shipped"), 25), documents["o-3"]);
        Snapshot.Match(RequestSnapshot.Of(Assert.Single(es.Requests)), snapshot);
    }

    [Fact]
    public async Task no_ids_means_no_request()
    {
        using var es = new ScriptedElasticsearch();

        var documents = await new ElasticsearchDocumentReader(es.Client()).LoadAsync<OrderSummary>(Index, [], CancellationToken.None);

        Assert.Empty(documents);
        Assert.Empty(es.Requests);
    }

    [Fact]
    public async Task a_missing_index_in_an_mget_item_fails_with_its_reason()
    {
        using var es = new ScriptedElasticsearch().On("POST", "/orders-v1/_mget", Ok("""
            {"docs":[{"_index":"orders-v1","_id":"o-1","error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [orders-v1]","resource.type":"index_expression","resource.id":"orders-v1","index_uuid":"_na_","index":"orders-v1"}],"type":"index_not_found_exception","reason":"no such index [orders-v1]","resource.type":"index_expression","resource.id":"orders-v1","index_uuid":"_na_","index":"orders-v1"}}]}
            """));

        var error = await Assert.ThrowsAsync<ElasticsearchSinkException>(() =>
            new ElasticsearchDocumentReader(es.Client()).LoadAsync<OrderSummary>(Index, ["o-1"], CancellationToken.None));

        Assert.Equal("index_not_found_exception", error.ErrorType);
        Assert.Contains("no such index [orders-v1]", error.Message, StringComparison.Ordinal);
    }
}
