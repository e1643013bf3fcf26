using System.Text;
using Elastic.Transport;

namespace EventSourcing.Projections.Tests.Elasticsearch.Transport;

/// <summary>A request the client sent: method, path with query, body as sent on the wire, and the authorization header.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string? Body, string? Authorization)
{
    /// <summary>The path without query string, URL-decoded as Elasticsearch reads it (<c>%2A</c> is <c>*</c>).</summary>
    public string Path => Uri.UnescapeDataString(PathAndQuery.Split('?')[0]);
}

/// <summary>A canned HTTP response.</summary>
public sealed record CannedResponse(int Status, string Body);

/// <summary>
/// The official client's in-memory transport (<see cref="InMemoryRequestInvoker"/>) with two additions: every
/// request is recorded with its exact body, and the response is chosen per request by a responder, so one test
/// can script index creation, bulk calls and alias swaps. Nothing leaves the process.
/// </summary>
public sealed class RecordingRequestInvoker(Func<RecordedRequest, CannedResponse> respond) : IRequestInvoker
{
    // Every Elasticsearch response carries this header; the client refuses responses without it.
    private readonly InMemoryRequestInvoker _inner = new(null, 200, null, "application/json",
        new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase) { ["X-Elastic-Product"] = ["Elasticsearch"] });
    private readonly List<RecordedRequest> _requests = [];

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    public ResponseFactory ResponseFactory => _inner.ResponseFactory;

    public async Task<TResponse> RequestAsync<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData, CancellationToken cancellationToken)
        where TResponse : TransportResponse, new()
    {
        string? body = null;
        if (postData is not null)
        {
            using var buffer = new MemoryStream();
            await postData.WriteAsync(buffer, boundConfiguration.ConnectionSettings, disableDirectStreaming: true, cancellationToken);
            body = Encoding.UTF8.GetString(buffer.ToArray());
        }

        var canned = Record(endpoint, boundConfiguration, body);
        return await _inner.BuildResponseAsync<TResponse>(endpoint, boundConfiguration, postData, cancellationToken,
            Encoding.UTF8.GetBytes(canned.Body), canned.Status, "application/json");
    }

    public TResponse Request<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData)
        where TResponse : TransportResponse, new()
    {
        string? body = null;
        if (postData is not null)
        {
            using var buffer = new MemoryStream();
            postData.Write(buffer, boundConfiguration.ConnectionSettings, disableDirectStreaming: true);
            body = Encoding.UTF8.GetString(buffer.ToArray());
        }

        var canned = Record(endpoint, boundConfiguration, body);
        return _inner.BuildResponse<TResponse>(endpoint, boundConfiguration, postData, Encoding.UTF8.GetBytes(canned.Body), canned.Status, "application/json");
    }

    private CannedResponse Record(Endpoint endpoint, BoundConfiguration configuration, string? body)
    {
        var header = configuration.AuthenticationHeader;
        string? authorization = null;
        if (header is not null && header.TryGetAuthorizationParameters(out var value))
            authorization = header.AuthScheme + " " + value;
        var path = endpoint.PathAndQuery.StartsWith('/') ? endpoint.PathAndQuery : "/" + endpoint.PathAndQuery;
        var request = new RecordedRequest(endpoint.Method.ToString().ToUpperInvariant(), path, body, authorization);
        lock (_requests) _requests.Add(request);
        return respond(request);
    }

    public void Dispose() => ((IDisposable)_inner).Dispose();
}
