using OrderDomain.Orders.Http;

namespace OrderDomain.Idempotency;

/// <summary>The answers the idempotency layer gives itself; none of them is recorded.</summary>
public static class IdempotencyProblems
{
    public static IResult InvalidKey(string key) => OrderProblems.BadRequest("idempotency_key_invalid",
        $"Idempotency-Key must be one value of 1 to {OrderCommands.MaxIdempotencyKeyLength} characters, was '{Truncate(key)}'");

    /// <summary>422: the key belongs to a request with another method, path, If-Match or body.</summary>
    public static IResult Reused(string key) => OrderProblems.IdempotencyKeyReused(key);

    /// <summary>409 with <c>Retry-After</c>: the key's first request is still being handled.</summary>
    public static IResult InUse(string key, string retryAfterSeconds) => new WithRetryAfter(
        OrderProblems.Problem(StatusCodes.Status409Conflict, "idempotency key in use", "idempotency_key_in_use",
            $"a request with Idempotency-Key '{key}' is still being handled; retry after {retryAfterSeconds} s to get its answer"),
        retryAfterSeconds);

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";

    private sealed class WithRetryAfter(IResult inner, string seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
