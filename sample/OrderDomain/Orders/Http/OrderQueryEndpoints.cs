using System.Globalization;
using EventSourcing.EventStore;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace OrderDomain.Orders.Http;

/// <summary><c>GET /orders/{id}</c>: the order from the event store, now or as it was at <c>asOf</c>.</summary>
public static class OrderQueryEndpoints
{
    [WolverineGet("/orders/{id}", OperationId = "getOrder")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    public static async Task<IResult> GetOrder(Guid id, string? asOf, IEventStore store, HttpResponse response, CancellationToken ct)
    {
        DateTimeOffset? pointInTime = null;
        if (asOf is not null)
        {
            if (!DateTimeOffset.TryParse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                return OrderProblems.BadRequest("as_of_invalid", $"asOf must be an ISO 8601 timestamp such as 2026-11-26T10:00:00Z, was '{(asOf.Length > 40 ? asOf[..40] + "..." : asOf)}'");
            pointInTime = parsed;
        }

        var loaded = pointInTime is { } at
            ? await store.LoadAtTimeAsync(OrderAggregate.Decider, id, at, ct)
            : await store.LoadAsync(OrderAggregate.Decider, id, ct);
        if (!loaded.Exists)
            return pointInTime is null
                ? OrderProblems.NotFound(id)
                : OrderProblems.Problem(StatusCodes.Status404NotFound, "order not found", "order_not_found", $"order {id} did not exist at {pointInTime:O}");

        response.Headers.ETag = OrderETag.Format(loaded.Version);
        return Results.Ok(OrderView.From(loaded.State, loaded.Version));
    }
}
