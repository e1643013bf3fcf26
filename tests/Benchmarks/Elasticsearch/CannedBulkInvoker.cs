using Elastic.Transport;

namespace EventSourcing.Benchmarks.Elasticsearch;

/// <summary>
/// The official client's in-memory transport for the benchmark: the request body is serialized exactly as it would
/// be for the network (InMemoryRequestInvoker writes the post data), and the answer is the bulk response prepared
/// for the batch in <see cref="NextResponse"/>.
/// </summary>
internal sealed class CannedBulkInvoker : IRequestInvoker
{
    private readonly InMemoryRequestInvoker _inner = new(null, 200, null, "application/json",
        new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase) { ["X-Elastic-Product"] = ["Elasticsearch"] });

    public byte[] NextResponse { get; set; } = [];

    public long Requests { get; private set; }

    public ResponseFactory ResponseFactory => _inner.ResponseFactory;

    public Task<TResponse> RequestAsync<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData, CancellationToken cancellationToken)
        where TResponse : TransportResponse, new()
    {
        Requests++;
        return _inner.BuildResponseAsync<TResponse>(endpoint, boundConfiguration, postData, cancellationToken, NextResponse, 200, "application/json");
    }

    public TResponse Request<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData)
        where TResponse : TransportResponse, new()
    {
        Requests++;
        return _inner.BuildResponse<TResponse>(endpoint, boundConfiguration, postData, NextResponse, 200, "application/json");
    }

    public void Dispose() => ((IDisposable)_inner).Dispose();
}
