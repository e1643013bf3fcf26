using EventSourcing.EventStore;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace OrderDomain.Orders.Http;

/// <summary><c>GET /orders/{id}/events</c>: the order's event history, oldest first, with who caused each event.</summary>
public static class OrderEventsEndpoint
{
    [WolverineGet("/orders/{id}/events", OperationId = "getOrderEvents")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderEventHistory), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    public static async Task<IResult> GetEvents(Guid id, IEventStore store, CancellationToken ct)
    {
        var events = await store.ReadStreamAsync(id, 0, ct);
        if (events.Count == 0)
            return OrderProblems.NotFound(id);
        return Results.Ok(new OrderEventHistory(id, [.. events.Select(e => new OrderEventView(
            e.TypeName,
            e.StreamVersion,
            e.Timestamp,
            ActorHeaders.Read(e.Headers, ActorHeaders.Actor),
            ActorHeaders.Read(e.Headers, ActorHeaders.ClientId)))]));
    }
}

/// <summary>An order's events; <see cref="OrderEventView.Actor"/> is null on events stored before callers were recorded.</summary>
public sealed record OrderEventHistory(Guid OrderId, IReadOnlyList<OrderEventView> Events);

public sealed record OrderEventView(string Type, long Version, DateTimeOffset Time, string? Actor, string? ClientId);
