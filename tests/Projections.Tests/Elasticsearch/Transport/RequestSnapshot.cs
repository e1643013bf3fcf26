using Newtonsoft.Json.Linq;

namespace EventSourcing.Projections.Tests.Elasticsearch.Transport;

/// <summary>
/// Turns a recorded request into a snapshot-friendly object: method, path with query string, and the body as
/// JSON (an NDJSON body becomes an array with one entry per line, in order).
/// </summary>
public static class RequestSnapshot
{
    public static object Of(RecordedRequest request) => new
    {
        request.Method,
        request.PathAndQuery,
        Body = Parse(request),
    };

    public static object Of(IEnumerable<RecordedRequest> requests) => requests.Select(Of).ToList();

    private static JToken? Parse(RecordedRequest request)
    {
        if (string.IsNullOrEmpty(request.Body))
            return null;
        if (!request.Path.EndsWith("/_bulk", StringComparison.Ordinal))
            return JToken.Parse(request.Body);
        var lines = request.Body.Split('\n');
        // NDJSON: every line one compact JSON object, and the body ends with a newline.
        Assert.Equal("", lines[^1]);
        return new JArray(lines[..^1].Select(JToken.Parse));
    }
}
