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
    public static Task<IResult> PlaceOrder(PlaceOrderRequest request, OrderCommands commands,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken ct)
    {
        if (request is null)
            return Task.FromResult(OrderProblems.BadRequest("body_missing", "the request body must be a JSON object"));
        var orderId = request.OrderId ?? (idempotencyKey is null ? Guid.NewGuid() : OrderIdFromKey(idempotencyKey));
        return commands.ExecuteAsync(orderId, at => request.ToCommand(orderId, at), ifMatch: null, idempotencyKey, creates: true, ct);
    }

    [WolverinePost("/orders/{id}/items", OperationId = "addItem")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderCommandResponse), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict)]
    public static Task<IResult> AddItem(Guid id, AddItemRequest request, OrderCommands commands,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken ct) =>
        WithBody(request, r => commands.ExecuteAsync(id, at => r.ToCommand(id, at), ifMatch, idempotencyKey, creates: false, ct));

    [WolverineDelete("/orders/{id}/items/{sku}", OperationId = "removeItem")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderCommandResponse), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict)]
    public static Task<IResult> RemoveItem(Guid id, string sku, OrderCommands commands,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken ct) =>
        commands.ExecuteAsync(id, at => new RemoveItem(id, sku, at), ifMatch, idempotencyKey, creates: false, ct);

    [WolverinePost("/orders/{id}/payment", OperationId = "confirmPayment")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderCommandResponse), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict)]
    public static Task<IResult> ConfirmPayment(Guid id, PaymentRequest request, OrderCommands commands,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken ct) =>
        WithBody(request, r => commands.ExecuteAsync(id, at => r.ToCommand(id, at), ifMatch, idempotencyKey, creates: false, ct));

    [WolverinePost("/orders/{id}/shipment", OperationId = "shipOrder")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderCommandResponse), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict)]
    public static Task<IResult> Ship(Guid id, ShipmentRequest request, OrderCommands commands,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken ct) =>
        WithBody(request, r => commands.ExecuteAsync(id, at => r.ToCommand(id, at), ifMatch, idempotencyKey, creates: false, ct));

    [WolverinePost("/orders/{id}/cancellation", OperationId = "cancelOrder")]
    [Tags("orders")]
    [ProducesResponseType(typeof(OrderCommandResponse), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict)]
    public static Task<IResult> Cancel(Guid id, CancellationRequest request, OrderCommands commands,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken ct) =>
        WithBody(request, r => commands.ExecuteAsync(id, at => r.ToCommand(id, at), ifMatch, idempotencyKey, creates: false, ct));

    /// <summary>400 problem details when the body is missing, otherwise the command.</summary>
    private static Task<IResult> WithBody<TRequest>(TRequest? request, Func<TRequest, Task<IResult>> run) where TRequest : class =>
        request is null
            ? Task.FromResult(OrderProblems.BadRequest("body_missing", "the request body must be a JSON object"))
            : run(request);

    /// <summary>A stable order id for a key, so a retried POST /orders without an id lands on the same stream.</summary>
    public static Guid OrderIdFromKey(string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("orders:" + idempotencyKey));
        return new Guid(hash.AsSpan(0, 16));
    }
}
