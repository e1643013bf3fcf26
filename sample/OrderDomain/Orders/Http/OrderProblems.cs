using System.Globalization;
using EventSourcing.EventStore.Concurrency;
using Microsoft.AspNetCore.Mvc;

namespace OrderDomain.Orders.Http;

/// <summary>Every error the order API returns, as RFC 9457 problem details.</summary>
public static class OrderProblems
{
    public const string TypeBase = "https://eventsourcing.example/problems/";

    public static IResult BadRequest(string rule, string detail) => Problem(StatusCodes.Status400BadRequest, "invalid request", rule, detail);

    public static IResult NotFound(Guid orderId) =>
        Problem(StatusCodes.Status404NotFound, "order not found", "order_not_found", $"order {orderId} does not exist");

    public static IResult RuleViolated(OrderRuleViolated error) => error switch
    {
        { Rule: "order_not_found" } => Problem(StatusCodes.Status404NotFound, "order not found", error.Rule, error.Message),
        { Kind: OrderRuleKind.InvalidInput } => Problem(StatusCodes.Status400BadRequest, "invalid request", error.Rule, error.Message),
        _ => Problem(StatusCodes.Status409Conflict, "order rule violated", error.Rule, error.Message),
    };

    /// <summary>409 for a stale If-Match: says which version the order is at now, and sends it as the ETag.</summary>
    public static IResult VersionConflict(Guid orderId, long expected, long current) => new VersionConflictResult(
        new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Type = TypeBase + "version_conflict",
            Title = "version conflict",
            Detail = $"order {orderId} is at version {current.ToString(CultureInfo.InvariantCulture)}, not {expected.ToString(CultureInfo.InvariantCulture)} as If-Match expected; reload it and retry",
            Extensions = { ["rule"] = "version_conflict", ["currentVersion"] = current, ["expectedVersion"] = expected },
        },
        current);

    public static IResult IdempotencyKeyReused(string key) => Problem(StatusCodes.Status422UnprocessableEntity, "idempotency key reused",
        "idempotency_key_reused", $"Idempotency-Key '{key}' was already used for a different request; use a new key for a new request");

    public static IResult Problem(int status, string title, string rule, string detail) => Results.Problem(new ProblemDetails
    {
        Status = status,
        Type = TypeBase + rule,
        Title = title,
        Detail = detail,
        Extensions = { ["rule"] = rule },
    });

    private sealed class VersionConflictResult(ProblemDetails problem, long current) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.ETag = OrderETag.Format(current);
            return Results.Problem(problem).ExecuteAsync(httpContext);
        }
    }
}
