using System.Text;
using Elastic.Transport;

namespace EventSourcing.OrderDomain.Tests.Search;

/// <summary>
/// The official client's in-memory transport (<see cref="InMemoryRequestInvoker"/>), answering every request with the
/// body <c>respond</c> gives for its number (0, 1, ...) and recording method, path and body. Nothing leaves the process.
/// </summary>
public sealed class SearchRequestCounter(Func<int, string> respond) : IRequestInvoker
{
    // Every Elasticsearch response carries this header; the client refuses responses without it.
    private readonly InMemoryRequestInvoker _inner = new(null, 200, null, "application/json",
        new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase) { ["X-Elastic-Product"] = ["Elasticsearch"] });
    private readonly List<(string Method, string Path, string? Body)> _requests = [];

    public IReadOnlyList<(string Method, string Path, string? Body)> Requests
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

        return await _inner.BuildResponseAsync<TResponse>(endpoint, boundConfiguration, postData, cancellationToken,
            Encoding.UTF8.GetBytes(Record(endpoint, body)), 200, "application/json");
    }

    public TResponse Request<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData)
        where TResponse : TransportResponse, new() =>
        throw new InvalidOperationException($"the search must not send synchronous requests: {endpoint.Method} {endpoint.PathAndQuery}");

    private string Record(Endpoint endpoint, string? body)
    {
        int number;
        lock (_requests)
        {
            number = _requests.Count;
            _requests.Add((endpoint.Method.ToString().ToUpperInvariant(), "/" + endpoint.PathAndQuery.TrimStart('/'), body));
        }

        return respond(number);
    }

    public void Dispose() => ((IDisposable)_inner).Dispose();
}
