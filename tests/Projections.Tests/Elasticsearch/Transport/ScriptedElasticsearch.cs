using Elastic.Clients.Elasticsearch;
using EventSourcing.Projections.Sinks.Elasticsearch;

namespace EventSourcing.Projections.Tests.Elasticsearch.Transport;

/// <summary>
/// Canned responses by method and path, in order: each call to a route takes the next response, the last one
/// repeats. An unscripted request is answered 500 with a message naming it, so a test never passes by accident.
/// </summary>
public sealed class ScriptedElasticsearch : IDisposable
{
    private readonly Dictionary<string, Queue<CannedResponse>> _routes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CannedResponse> _last = new(StringComparer.Ordinal);

    public ScriptedElasticsearch() => Invoker = new RecordingRequestInvoker(Respond);

    public RecordingRequestInvoker Invoker { get; }

    public IReadOnlyList<RecordedRequest> Requests => Invoker.Requests;

    public static ElasticsearchOptions DefaultOptions { get; } = new()
    {
        Urls = [new Uri("http://localhost:9200")],
        InitialBackoff = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(4),
        MaxBulkAttempts = 3,
    };

    public ScriptedElasticsearch On(string method, string path, params CannedResponse[] responses)
    {
        var key = method + " " + path;
        if (!_routes.TryGetValue(key, out var queue))
            _routes[key] = queue = new Queue<CannedResponse>();
        foreach (var response in responses)
            queue.Enqueue(response);
        return this;
    }

    public ElasticsearchClient Client(ElasticsearchOptions? options = null) =>
        ElasticsearchClientFactory.Create(options ?? DefaultOptions, Invoker);

    private CannedResponse Respond(RecordedRequest request)
    {
        var key = request.Method + " " + request.Path;
        lock (_routes)
        {
            if (_routes.TryGetValue(key, out var queue) && queue.TryDequeue(out var next))
                return _last[key] = next;
            if (_last.TryGetValue(key, out var last))
                return last;
        }

        return EsResponses.Error(500, "test_script_exception", $"no canned response for {key}");
    }

    public void Dispose() => Invoker.Dispose();
}
