using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Aggregations;
using Elastic.Clients.Elasticsearch.QueryDsl;

namespace OrderDomain.Search;

/// <summary>
/// Order search on Elasticsearch (production), through the read model's alias. The request is built with the
/// client's typed query DSL from the validated query only: user text is a value in a match query, never query syntax.
/// One <c>_search</c> request carries the query, the status aggregation, the page and exact total hits, so the
/// answer's total, hits and facets come from the same searcher and always agree with each other.
/// </summary>
public sealed class ElasticsearchOrderSearch(ElasticsearchClient client) : IOrderSearch
{
    public const string StatusAggregation = "statuses";

    public string Backend => "elasticsearch";

    public async Task<OrderSearchResult> SearchAsync(OrderSearchQuery query, CancellationToken ct)
    {
        var response = await client.SearchAsync<OrderSearchDocument>(BuildRequest(query), ct);
        if (!response.IsValidResponse)
            throw new InvalidOperationException($"Elasticsearch search on '{OrderSearchProjection.ReadModelName}' failed: {response.ElasticsearchServerError?.Error?.Reason ?? response.DebugInformation}");

        var facets = OrderSearchQuery.KnownStatuses.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        foreach (var bucket in response.Aggregations?.GetStringTerms(StatusAggregation)?.Buckets ?? [])
            facets[bucket.Key.ToString()!] = bucket.DocCount;
        return new OrderSearchResult(response.Total, query.Page, query.PageSize, [.. response.Documents], facets);
    }

    /// <summary>
    /// The search request: full text and filters in the query, the status filter as a post filter (so the status
    /// facet counts every status the other filters allow), exact total hits, sort with a stable tie-breaker.
    /// </summary>
    public static SearchRequest<OrderSearchDocument> BuildRequest(OrderSearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var must = new List<Query>();
        var filter = new List<Query>();
        if (query.Text is { } text)
        {
            must.Add(new MultiMatchQuery
            {
                Query = text,
                Fields = Fields.FromStrings(["customerName", "lines.productName", "shippingCity"]),
                Type = TextQueryType.CrossFields,
                Operator = Operator.And,
            });
        }

        if (query.CustomerId is { } customer)
            filter.Add(new TermQuery { Field = "customerId", Value = customer });
        if (query.From is not null || query.To is not null)
            filter.Add(new DateRangeQuery { Field = "placedAt", Gte = query.From?.UtcDateTime, Lte = query.To?.UtcDateTime });
        if (query.MinTotal is not null || query.MaxTotal is not null)
            filter.Add(new NumberRangeQuery { Field = "total", Gte = (double?)query.MinTotal, Lte = (double?)query.MaxTotal });

        var request = new SearchRequest<OrderSearchDocument>(OrderSearchProjection.ReadModelName)
        {
            Query = new BoolQuery { Must = must, Filter = filter },
            Aggregations = new Dictionary<string, Aggregation>
            {
                [StatusAggregation] = new TermsAggregation { Field = "status", Size = OrderSearchQuery.KnownStatuses.Count },
            },
            Sort = Sort(query),
            From = query.Skip,
            Size = query.PageSize,
            TrackTotalHits = new Elastic.Clients.Elasticsearch.Core.Search.TrackHits(true),
        };
        if (query.Statuses.Count > 0)
            request.PostFilter = new TermsQuery { Field = "status", Terms = new TermsQueryField([.. query.Statuses.Select(s => FieldValue.String(s))]) };
        return request;
    }

    private static List<SortOptions> Sort(OrderSearchQuery query)
    {
        var order = query.Descending ? SortOrder.Desc : SortOrder.Asc;
        var field = query.Sort switch
        {
            OrderSortField.Total => "total",
            OrderSortField.CustomerName => "customerName.keyword",
            _ => "placedAt",
        };
        return
        [
            new SortOptions { Field = new FieldSort { Field = field, Order = order } },
            new SortOptions { Field = new FieldSort { Field = "placedAt", Order = order } },
            new SortOptions { Field = new FieldSort { Field = "orderId", Order = order } },
        ];
    }
}
