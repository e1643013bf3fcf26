namespace OrderDomain.Search;

/// <summary>
/// What <c>GET /search/orders</c> returns, the same from Elasticsearch and from PostgreSQL: the page of
/// hits, the total number of matches, and how the matches (ignoring the status filter) split by status.
/// </summary>
public sealed record OrderSearchResult(
    long Total,
    int Page,
    int PageSize,
    IReadOnlyList<OrderSearchDocument> Hits,
    IReadOnlyDictionary<string, long> StatusFacets);

/// <summary>Searches the <c>order_search</c> read model.</summary>
public interface IOrderSearch
{
    /// <summary>Which store answers, for diagnostics: <c>postgres</c> or <c>elasticsearch</c>.</summary>
    string Backend { get; }

    Task<OrderSearchResult> SearchAsync(OrderSearchQuery query, CancellationToken ct);
}
