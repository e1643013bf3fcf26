using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using OrderDomain.Idempotency;
using Wolverine.Http;

namespace OrderDomain.Orders.Http;

/// <summary>
/// The order commands over HTTP (Wolverine endpoints). Each one becomes a command for the decider; an
/// <c>Idempotency-Key</c> gets Stripe's semantics (<see cref="IdempotencyMiddleware"/>).
/// </summary>
[Idempotent]
public static class OrderEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    [WolverinePost("/orders", OperationId = "placeOrder")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderCommandResponse), StatusCodes.Status201Created)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict)]
    [JsonBody(typeof(PlaceOrderRequest))]
    public static async Task<IResult> PlaceOrder(HttpRequest http, OrderCommands commands,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<PlaceOrderRequest>(http, ct);
        if (request is null)
            return problem!;
        var orderId = request.OrderId ?? (idempotencyKey is null ? Guid.NewGuid() : OrderIdFromKey(idempotencyKey));
        return await commands.ExecuteAsync(orderId, at => request.ToCommand(orderId, at), ifMatch: null, idempotencyKey, creates: true, ct);
    }

    [WolverinePost("/orders/{id}/items", OperationId = "addItem")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderCommandResponse), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict)]
    [JsonBody(typeof(AddItemRequest))]
    public static Task<IResult> AddItem(string id, HttpRequest http, OrderCommands commands,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken ct) =>
        WithBody<AddItemRequest>(id, http, (orderId, r) => commands.ExecuteAsync(orderId, at => r.ToCommand(orderId, at), ifMatch, idempotencyKey, creates: false, ct), ct);

    [WolverineDelete("/orders/{id}/items/{sku}", OperationId = "removeItem")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderCommandResponse), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict)]
    public static Task<IResult> RemoveItem(string id, string sku, OrderCommands commands,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken ct) =>
        OrderIds.TryParse(id, out var orderId)
            ? commands.ExecuteAsync(orderId, at => new RemoveItem(orderId, sku, at), ifMatch, idempotencyKey, creates: false, ct)
            : Task.FromResult(OrderProblems.InvalidOrderId(id));

    [WolverinePost("/orders/{id}/payment", OperationId = "confirmPayment")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderCommandResponse), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict)]
    [JsonBody(typeof(PaymentRequest))]
    public static Task<IResult> ConfirmPayment(string id, HttpRequest http, OrderCommands commands,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken ct) =>
        WithBody<PaymentRequest>(id, http, (orderId, r) => commands.ExecuteAsync(orderId, at => r.ToCommand(orderId, at), ifMatch, idempotencyKey, creates: false, ct), ct);

    [WolverinePost("/orders/{id}/shipment", OperationId = "shipOrder")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderCommandResponse), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict)]
    [JsonBody(typeof(ShipmentRequest))]
    public static Task<IResult> Ship(string id, HttpRequest http, OrderCommands commands,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken ct) =>
        WithBody<ShipmentRequest>(id, http, (orderId, r) => commands.ExecuteAsync(orderId, at => r.ToCommand(orderId, at), ifMatch, idempotencyKey, creates: false, ct), ct);

    [WolverinePost("/orders/{id}/cancellation", OperationId = "cancelOrder")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderCommandResponse), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict)]
    [JsonBody(typeof(CancellationRequest))]
    public static Task<IResult> Cancel(string id, HttpRequest http, OrderCommands commands,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken ct) =>
        WithBody<CancellationRequest>(id, http, (orderId, r) => commands.ExecuteAsync(orderId, at => r.ToCommand(orderId, at), ifMatch, idempotencyKey, creates: false, ct), ct);

    /// <summary>A problem for a malformed order id or body, otherwise the command.</summary>
    private static async Task<IResult> WithBody<TRequest>(string id, HttpRequest http, Func<Guid, TRequest, Task<IResult>> run, CancellationToken ct)
        where TRequest : class
    {
        if (!OrderIds.TryParse(id, out var orderId))
            return OrderProblems.InvalidOrderId(id);
        var (request, problem) = await JsonBody.ReadAsync<TRequest>(http, ct);
        return request is null ? problem! : await run(orderId, request);
    }

    /// <summary>A stable order id for a key, so a retried POST /orders without an id lands on the same stream.</summary>
    public static Guid OrderIdFromKey(string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("orders:" + idempotencyKey));
        return new Guid(hash.AsSpan(0, 16));
    }
}
