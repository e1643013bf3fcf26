using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using OrderDomain.Orders.Http;

namespace OrderDomain.Hosting;

/// <summary>
/// Every error the service answers is RFC 9457 problem details with a stable <c>rule</c>: the API's own
/// problems (OrderProblems), and what the framework answers without a body (404 for an unknown route, 405,
/// 413, 415, 429 from a limiter) or for an exception (500). Each client error is logged as one line at
/// Information; each server error once, at Error, with its stack trace.
/// </summary>
public static class ProblemResponses
{
    public const string LogCategory = "OrderDomain.Problems";

    public static IServiceCollection AddOrderProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Complete);
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        return services;
    }

    /// <summary>Before the endpoints (and before authentication or rate limiting), so their answers get a body too.</summary>
    public static WebApplication UseOrderProblemDetails(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    private static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        var status = problem.Status ?? http.Response.StatusCode;
        problem.Status = status;
        if (!problem.Extensions.ContainsKey("rule"))
        {
            var (rule, title, detail) = Generic(status, http);
            problem.Type = OrderProblems.TypeBase + rule;
            problem.Title = title;
            problem.Detail = detail;
            problem.Extensions["rule"] = rule;
        }

        problem.Instance ??= http.Request.Path.Value;
        problem.Extensions.Remove("exception");
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        var ruleName = problem.Extensions["rule"]?.ToString();
        if (status < 500)
            ProblemLog.ClientError(logger, http.Request.Method, http.Request.Path.Value ?? "", status, ruleName ?? "", problem.Detail ?? "");
        else if (context.Exception is null)
            ProblemLog.ServerProblem(logger, http.Request.Method, http.Request.Path.Value ?? "", status, ruleName ?? "", problem.Detail ?? "");
    }

    private static (string Rule, string Title, string Detail) Generic(int status, HttpContext http)
    {
        var method = http.Request.Method;
        var path = OrderProblems.Shorten(http.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath ?? http.Request.Path.Value ?? "");
        return status switch
        {
            StatusCodes.Status400BadRequest => ("bad_request", "invalid request", "the request is malformed"),
            StatusCodes.Status401Unauthorized => ("unauthenticated", "unauthenticated", "send a valid bearer token (Authorization: Bearer ...); see docs/security.md"),
            StatusCodes.Status403Forbidden => ("forbidden", "forbidden", $"the caller's token lacks the role {method} {path} requires"),
            StatusCodes.Status404NotFound => ("route_not_found", "not found", $"there is no resource at {path}"),
            StatusCodes.Status405MethodNotAllowed => ("method_not_allowed", "method not allowed", $"{method} is not allowed on {path}"),
            StatusCodes.Status406NotAcceptable => ("not_acceptable", "not acceptable", "the service answers application/json and application/problem+json only"),
            StatusCodes.Status413PayloadTooLarge => ("request_too_large", "request too large", $"the request body must be at most {OrderJson.MaxBodyBytes} bytes"),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported_media_type", "unsupported media type", "the request body must be application/json"),
            StatusCodes.Status429TooManyRequests => ("too_many_requests", "too many requests", "too many requests from this client; retry later (see Retry-After when present)"),
            >= 500 => ("internal_error", "internal error", $"the service failed to answer; the error is logged with trace id {http.TraceIdentifier}"),
            _ => ("http_" + status, "request refused", $"the request was refused with status {status}"),
        };
    }

    /// <summary>
    /// A request the server could not read (Kestrel's <see cref="BadHttpRequestException"/>: body too large,
    /// malformed framing) is the client's error: its status, one information line. Anything else is a 500
    /// logged once with its stack trace; the answer names no internals.
    /// </summary>
    private sealed class UnhandledExceptionHandler(IProblemDetailsService problems, ILoggerFactory loggers) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var status = exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            if (status >= 500)
                ProblemLog.Unhandled(loggers.CreateLogger(LogCategory), exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? "");
            httpContext.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = { Status = status },
                Exception = status >= 500 ? exception : null,
            });
        }
    }
}

internal static partial class ProblemLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "{Method} {Path} refused with {Status} {Rule}: {Detail}")]
    public static partial void ClientError(ILogger logger, string method, string path, int status, string rule, string detail);

    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "{Method} {Path} failed with {Status} {Rule}: {Detail}")]
    public static partial void ServerProblem(ILogger logger, string method, string path, int status, string rule, string detail);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "{Method} {Path} failed with an unhandled exception")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);
}
