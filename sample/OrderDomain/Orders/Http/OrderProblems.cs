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

    /// <summary>400 for an order id in the path that is not a GUID, or is the empty GUID.</summary>
    public static IResult InvalidOrderId(string id) => BadRequest("order_id_invalid",
        $"order id must be a GUID such as 3f2b8c1e-5d4a-4e7b-9c1d-2a6f0e8b7c55 and not the empty GUID, was '{Shorten(id)}'");

    /// <summary>
    /// 500 for an order whose stored events the fold cannot apply (a total beyond the decimal range, written
    /// before the limits existed). Not the caller's fault; docs/security.md says how to repair it.
    /// </summary>
    public static IResult Unreadable(Guid orderId) => Problem(StatusCodes.Status500InternalServerError, "order unreadable", "order_unreadable",
        $"order {orderId} holds events whose amounts are outside the supported range; it cannot be read or changed until an operator repairs it (docs/security.md)");

    /// <summary>A value echoed in a detail: at most 40 characters, control characters shown as '?'.</summary>
    public static string Shorten(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var cut = value.Length <= 40 ? value : value[..40] + "...";
        return string.Create(cut.Length, cut, (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
                span[i] = char.IsControl(text[i]) || char.IsSurrogate(text[i]) ? '?' : text[i];
        });
    }

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
