namespace OrderDomain.Orders.Http;

/// <summary>200 (or 201 with a Location for a new order) with the order's new version as the ETag.</summary>
internal sealed class OrderCommandResult(OrderCommandResponse body, bool created) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.ETag = OrderETag.Format(body.Version);
        return created
            ? Results.Created($"/orders/{body.OrderId}", body).ExecuteAsync(httpContext)
            : Results.Ok(body).ExecuteAsync(httpContext);
    }
}
