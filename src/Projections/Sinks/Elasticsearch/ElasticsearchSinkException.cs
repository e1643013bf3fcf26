using System.Globalization;
using Elastic.Transport.Products.Elasticsearch;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// A failed call to Elasticsearch. <see cref="IsTransient"/> is true for 429, 5xx and unreachable nodes (the
/// daemon retries the batch and its circuit pauses the projection); false for a call Elasticsearch refused
/// (e.g. 401, 403, 400 on the whole request). The message carries the status and Elasticsearch's error type
/// and reason, never request headers, credentials or request bodies.
/// </summary>
public sealed class ElasticsearchSinkException : Exception
{
    public ElasticsearchSinkException(string message, bool isTransient, int? statusCode = null, string? errorType = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
        StatusCode = statusCode;
        ErrorType = errorType;
    }

    public ElasticsearchSinkException() : this("Elasticsearch call failed.", isTransient: true) { }

    public ElasticsearchSinkException(string message) : this(message, isTransient: true) { }

    public ElasticsearchSinkException(string message, Exception innerException) : this(message, isTransient: true, innerException: innerException) { }

    public bool IsTransient { get; }

    public int? StatusCode { get; }

    public string? ErrorType { get; }

    internal static bool IsTransientStatus(int? status) => status is null or 429 or >= 500;

    /// <summary>Describes a whole-request failure of <paramref name="operation"/> from the response, safely.</summary>
    internal static ElasticsearchSinkException From(ElasticsearchResponse response, string operation)
    {
        var status = response.ApiCallDetails?.HttpStatusCode;
        var error = response.ElasticsearchServerError?.Error;
        string detail;
        Exception? inner = null;
        if (error is not null)
            detail = $"{error.Type}: {error.Reason}";
        else if (response.TryGetOriginalException(out var original) && original is not null)
        {
            // The transport's own exception carries debug information; keep only the network cause.
            inner = original is Elastic.Transport.TransportException { InnerException: { } cause } ? cause : null;
            detail = inner is null ? "the request failed" : $"{inner.GetType().Name}: {inner.Message}";
        }
        else
            detail = "no error details in the response";

        return Create(operation, status, error?.Type, detail, inner);
    }

    /// <summary>Describes a whole-request failure from a raw response: status, error body, network cause.</summary>
    internal static ElasticsearchSinkException From(Elastic.Transport.BytesResponse response, string operation)
    {
        var status = response.ApiCallDetails?.HttpStatusCode;
        var (type, reason) = BulkResponseReader.ReadError(response.Body ?? []);
        Exception? inner = null;
        string detail;
        if (type is not null || reason is not null)
            detail = $"{type}: {reason}";
        else if (response.ApiCallDetails?.OriginalException is { } original)
        {
            inner = original is Elastic.Transport.TransportException { InnerException: { } cause } ? cause : original;
            inner = inner is Elastic.Transport.TransportException ? null : inner;
            detail = inner is null ? "the request failed" : $"{inner.GetType().Name}: {inner.Message}";
        }
        else
            detail = "no error details in the response";

        return Create(operation, status, type, detail, inner);
    }

    private static ElasticsearchSinkException Create(string operation, int? status, string? type, string detail, Exception? inner)
    {
        var shownStatus = status is null ? "no response" : "HTTP " + status.Value.ToString(CultureInfo.InvariantCulture);
        return new ElasticsearchSinkException($"Elasticsearch {operation} failed ({shownStatus}): {detail}", IsTransientStatus(status), status, type, inner);
    }
}
