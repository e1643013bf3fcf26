using Elastic.Clients.Elasticsearch;
using Elastic.Transport.Extensions;
using Newtonsoft.Json.Linq;
using OrderDomain.Search;
using Snapshooter;
using Snapshooter.Xunit;

namespace EventSourcing.OrderDomain.Tests.Search;

/// <summary>
/// The exact Elasticsearch request bodies the search sends, snapshot-tested: typed query DSL only, user text as a
/// match value (never query syntax), status as a post filter beside the status facet aggregation.
/// </summary>
public sealed class ElasticsearchQueryTests
{
    private static readonly ElasticsearchClient Client = new(new ElasticsearchClientSettings(new Uri("http://localhost:9200")));

    private static JToken Body(string? q = null, string? status = null, string? customer = null, string? from = null, string? to = null,
        string? minTotal = null, string? maxTotal = null, string? sort = null, string? page = null, string? pageSize = null)
    {
        var request = ElasticsearchOrderSearch.BuildRequest(OrderSearchQuery.Parse(q, status, customer, from, to, minTotal, maxTotal, sort, page, pageSize));
        return JToken.Parse(Client.RequestResponseSerializer.SerializeToString(request));
    }

    [Fact]
    public void everything() => Snapshot.Match(Body());

    [Fact]
    public void full_text_with_every_filter_sort_and_page() =>
        Snapshot.Match(Body("assam tea", "paid,shipped", "cust-asha", "2026-03-01", "2026-03-31T23:59:59Z", "100", "5000", "-total", "3", "10"));

    [Fact]
    public void sort_by_customer_name_uses_the_keyword_subfield() => Snapshot.Match(Body(sort: "customerName"));

    [Fact]
    public void an_injection_attempt_is_only_a_match_value()
    {
        var body = Body(q: "\"}}, \"query\": {\"match_all\": {}}, \"x\": {\"y\": \"");
        Snapshot.Match(body);
        Assert.Null(body.SelectToken("query.match_all"));
        Assert.Equal("\"}}, \"query\": {\"match_all\": {}}, \"x\": {\"y\": \"", body.SelectToken("query.bool.must.multi_match.query")?.Value<string>());
    }
}
