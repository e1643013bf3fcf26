using System.Security.Claims;
using Microsoft.Extensions.Options;
using OrderDomain.Orders.Http;

namespace OrderDomain.Idempotency;

/// <summary>
/// Stripe's idempotency semantics for the endpoints marked <see cref="IdempotentAttribute"/>, for requests that
/// carry an <c>Idempotency-Key</c>. The first request claims the key (a leased row in PostgreSQL), runs, and its
/// answer (status, <see cref="RecordedResponse.RecordedHeaders"/>, body) is recorded before it is sent. A
/// duplicate gets that answer byte for byte with <c>Idempotent-Replayed: true</c>; while the first is in flight
/// it waits up to <see cref="IdempotencyOptions.WaitTimeout"/>, then gets <c>409 idempotency_key_in_use</c>
/// with <c>Retry-After</c>. The key with another request is <c>422 idempotency_key_reused</c>.
/// Recorded: every answer below 500 except 401, 403 and 429 (they are about the caller or the load, not the
/// request). Not recorded: 5xx and a request that threw or was aborted; the key is released and a retry executes.
/// </summary>
public sealed partial class IdempotencyMiddleware(RequestDelegate next, IdempotencyRecordStore records, IOptions<IdempotencyOptions> options,
    TimeProvider clock, ILogger<IdempotencyMiddleware> logger)
{
    private readonly IdempotencyOptions _options = options.Value;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentAttribute>() is null
            || !context.Request.Headers.TryGetValue(OrderEndpoints.IdempotencyKeyHeader, out var values))
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (values.Count != 1 || string.IsNullOrWhiteSpace(key) || key.Length > OrderCommands.MaxIdempotencyKeyLength)
        {
            await IdempotencyProblems.InvalidKey(key).ExecuteAsync(context);
            return;
        }

        var ct = context.RequestAborted;
        var scope = Caller(context.User);
        var fingerprint = await RequestFingerprint.ComputeAsync(context.Request, ct);
        var started = clock.GetTimestamp();
        var waiting = false;
        while (true)
        {
            switch (await records.ClaimAsync(scope, key, fingerprint, ct))
            {
                case IdempotencyClaim.Owned owned:
                    await RunAndRecordAsync(context, scope, key, owned.LeaseToken);
                    return;
                case IdempotencyClaim.Answered answered when answered.Fingerprint == fingerprint:
                    await answered.Response.ReplayAsync(context);
                    return;
                case IdempotencyClaim.Answered:
                case IdempotencyClaim.InFlight inFlight when inFlight.Fingerprint != fingerprint:
                    await IdempotencyProblems.Reused(key).ExecuteAsync(context);
                    return;
            }

            // the same request is in flight: wait for its answer, up to the bound
            var left = _options.WaitTimeout - clock.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                LogInUse(logger, key, _options.WaitTimeout);
                await IdempotencyProblems.InUse(key, _options.RetryAfterSeconds).ExecuteAsync(context);
                return;
            }

            if (!waiting)
            {
                waiting = true;
                LogWaiting(logger, key, _options.WaitTimeout);
            }

            await Task.Delay(left < _options.PollInterval ? left : _options.PollInterval, clock, ct);
        }
    }

    private async Task RunAndRecordAsync(HttpContext context, string scope, string key, Guid leaseToken)
    {
        var response = context.Response;
        var sink = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            response.Body = sink;
            await ReleaseAsync(scope, key, leaseToken);
            throw;
        }

        response.Body = sink;
        var body = buffer.ToArray();
        if (IsRecorded(response.StatusCode))
        {
            try
            {
                // recorded even when the client is gone: its retry must get this answer
                if (!await records.RecordAsync(scope, key, leaseToken, RecordedResponse.Capture(response, body), CancellationToken.None))
                    LogLeaseLost(logger, key);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                // the client still gets the true answer; a retry after the lease executes again, and the event
                // store's own key keeps it from appending twice
                LogNotRecorded(logger, e, key);
            }
        }
        else
        {
            await ReleaseAsync(scope, key, leaseToken);
        }

        response.ContentLength = body.Length;
        await sink.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>2xx, 3xx and 4xx answers are the request's answer; 401, 403 and 429 are about the caller or the load, 5xx about the server.</summary>
    public static bool IsRecorded(int status) =>
        status < 500 && status is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status429TooManyRequests);

    private async Task ReleaseAsync(string scope, string key, Guid leaseToken)
    {
        try
        {
            await records.ReleaseAsync(scope, key, leaseToken, CancellationToken.None);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            LogNotReleased(logger, e, key, _options.Lease);
        }
    }

    /// <summary>Keys are per caller (Stripe: per account): the authenticated subject, or "" without authentication.</summary>
    private static string Caller(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.Identity.Name ?? ""
            : "";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Idempotency-Key '{Key}' is in flight; waiting up to {WaitTimeout} for its answer")]
    private static partial void LogWaiting(ILogger logger, string key, TimeSpan waitTimeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotency-Key '{Key}' is still in flight after {WaitTimeout}; answered 409 idempotency_key_in_use")]
    private static partial void LogInUse(ILogger logger, string key, TimeSpan waitTimeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency-Key '{Key}': the lease ran out and another request took the key before this answer was recorded")]
    private static partial void LogLeaseLost(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Error, Message = "Idempotency-Key '{Key}': the answer could not be recorded; a retry executes again after the lease")]
    private static partial void LogNotRecorded(ILogger logger, Exception error, string key);

    [LoggerMessage(Level = LogLevel.Error, Message = "Idempotency-Key '{Key}': the key could not be released; it stays in flight until its lease ({Lease}) runs out")]
    private static partial void LogNotReleased(ILogger logger, Exception error, string key, TimeSpan lease);
}
