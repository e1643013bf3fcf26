using Microsoft.AspNetCore.Mvc;
using OrderDomain.Orders.Http;
using Wolverine.Http;

namespace OrderDomain.Search;

/// <summary><c>GET /search/orders</c>: full text and filters over the order read model, with the total and status facets.</summary>
public static class SearchEndpoints
{
    [WolverineGet("/search/orders", OperationId = "searchOrders")]
    [Tags("search")]
    [ProducesResponseType(typeof(OrderSearchResult), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    public static async Task<IResult> Search(IOrderSearch search, string? q, string? status, string? customer, string? from, string? to,
        string? minTotal, string? maxTotal, string? sort, string? page, string? pageSize, CancellationToken ct)
    {
        OrderSearchQuery query;
        try
        {
            query = OrderSearchQuery.Parse(q, status, customer, from, to, minTotal, maxTotal, sort, page, pageSize);
        }
        catch (InvalidSearchException e)
        {
            return OrderProblems.BadRequest("search_parameter_invalid", e.Message);
        }

        return Results.Ok(await search.SearchAsync(query, ct));
    }
}
