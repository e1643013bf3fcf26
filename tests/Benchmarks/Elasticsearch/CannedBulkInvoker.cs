using System.Globalization;
using System.Text;
using Elastic.Transport;

namespace EventSourcing.Benchmarks.Elasticsearch;

/// <summary>
/// The official client's in-memory transport for the benchmark: the request body is written to a stream exactly as
/// it would be for the network (InMemoryRequestInvoker writes the post data), and the answer is a successful bulk
/// response for <see cref="NextItems"/> items, in the shape Elasticsearch gives for that request: the full response,
/// or, when the request asks for <c>filter_path=errors,items.*.error,items.*.status</c>, only those fields.
/// </summary>
internal sealed class CannedBulkInvoker : IRequestInvoker
{
    private const string Filter = "filter_path=errors,items.*.error,items.*.status";

    private readonly InMemoryRequestInvoker _inner = new(null, 200, null, "application/json",
        new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase) { ["X-Elastic-Product"] = ["Elasticsearch"] });

    private readonly Dictionary<(int Items, bool Filtered), byte[]> _responses = [];

    /// <summary>How many items the next bulk request carries.</summary>
    public int NextItems { get; set; }

    public long Requests { get; private set; }

    public ResponseFactory ResponseFactory => _inner.ResponseFactory;

    /// <summary>Builds the responses before the clock starts.</summary>
    public void Prepare(IEnumerable<int> itemCounts)
    {
        foreach (var items in itemCounts)
        {
            _responses[(items, false)] = BulkResponse(items, filtered: false);
            _responses[(items, true)] = BulkResponse(items, filtered: true);
        }
    }

    public Task<TResponse> RequestAsync<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData, CancellationToken cancellationToken)
        where TResponse : TransportResponse, new()
    {
        Requests++;
        return _inner.BuildResponseAsync<TResponse>(endpoint, boundConfiguration, postData, cancellationToken, ResponseFor(endpoint), 200, "application/json");
    }

    public TResponse Request<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData)
        where TResponse : TransportResponse, new()
    {
        Requests++;
        return _inner.BuildResponse<TResponse>(endpoint, boundConfiguration, postData, ResponseFor(endpoint), 200, "application/json");
    }

    public void Dispose() => ((IDisposable)_inner).Dispose();

    private byte[] ResponseFor(Endpoint endpoint) =>
        _responses[(NextItems, endpoint.PathAndQuery.Contains(Filter, StringComparison.Ordinal))];

    private static byte[] BulkResponse(int items, bool filtered)
    {
        var sb = new StringBuilder(filtered ? "{\"errors\":false,\"items\":[" : "{\"took\":3,\"errors\":false,\"items\":[");
        for (var i = 0; i < items; i++)
        {
            if (i > 0) sb.Append(',');
            var n = i.ToString(CultureInfo.InvariantCulture);
            if (filtered)
                sb.Append("{\"index\":{\"status\":200}}");
            else
                sb.Append("{\"index\":{\"_index\":\"bench_orders-v1\",\"_id\":\"d").Append(n)
                    .Append("\",\"_version\":").Append(n).Append(",\"result\":\"updated\",\"_shards\":{\"total\":2,\"successful\":1,\"failed\":0},\"_seq_no\":")
                    .Append(n).Append(",\"_primary_term\":1,\"status\":200}}");
        }

        return Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
    }
}
