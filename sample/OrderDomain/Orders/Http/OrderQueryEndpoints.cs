using System.Globalization;
using EventSourcing.EventStore;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace OrderDomain.Orders.Http;

/// <summary><c>GET /orders/{id}</c>: the order from the event store, now or as it was at <c>asOf</c>.</summary>
public static class OrderQueryEndpoints
{
    /// <summary>The earliest and latest <c>asOf</c> accepted (UTC): the range the event store's timestamps can be compared with.</summary>
    public static readonly DateTimeOffset EarliestAsOf = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset LatestAsOf = new(9999, 12, 30, 0, 0, 0, TimeSpan.Zero);

    [WolverineGet("/orders/{id}", OperationId = "getOrder")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    public static async Task<IResult> GetOrder(string id, string? asOf, IEventStore store, HttpResponse response, CancellationToken ct)
    {
        if (!OrderIds.TryParse(id, out var orderId))
            return OrderProblems.InvalidOrderId(id);
        DateTimeOffset? pointInTime = null;
        if (asOf is not null)
        {
            if (!DateTimeOffset.TryParse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                return OrderProblems.BadRequest("as_of_invalid", $"asOf must be an ISO 8601 timestamp such as 2026-11-26T10:00:00Z, was '{OrderProblems.Shorten(asOf)}'");
            if (parsed.UtcTicks < EarliestAsOf.UtcTicks || parsed.UtcTicks > LatestAsOf.UtcTicks)
                return OrderProblems.BadRequest("as_of_out_of_range", $"asOf must be between {EarliestAsOf:O} and {LatestAsOf:O} (UTC), was '{OrderProblems.Shorten(asOf)}'");
            pointInTime = parsed;
        }

        try
        {
            return await LoadAsync(orderId, pointInTime, store, response, ct);
        }
        catch (OverflowException)
        {
            return OrderProblems.Unreadable(orderId);
        }
    }

    private static async Task<IResult> LoadAsync(Guid id, DateTimeOffset? pointInTime, IEventStore store, HttpResponse response, CancellationToken ct)
    {
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
