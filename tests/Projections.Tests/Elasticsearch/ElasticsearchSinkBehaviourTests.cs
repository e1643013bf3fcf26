using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Sinks.Elasticsearch;
using EventSourcing.Projections.Tests.Elasticsearch.Transport;
using EventSourcing.Projections.Tests.Sinks;

namespace EventSourcing.Projections.Tests.Elasticsearch;

/// <summary>
/// The sink behaviour suite on the Elasticsearch sink: the official client and its real request/response
/// serialization, over the in-memory transport answered by <see cref="InMemoryElasticsearch"/> (the documented
/// semantics of the APIs the sink uses). The same suite runs against a live server in <see cref="ElasticsearchSinkLiveTests"/>.
/// </summary>
public sealed class ElasticsearchSinkBehaviourTests : ReadModelSinkBehaviour, IDisposable
{
    private readonly RecordingRequestInvoker _invoker;

    public ElasticsearchSinkBehaviourTests()
    {
        var server = new InMemoryElasticsearch();
        _invoker = new RecordingRequestInvoker(server.Handle);
        var options = ScriptedElasticsearch.DefaultOptions;
        Sink = new ElasticsearchSink(ElasticsearchClientFactory.Create(options, _invoker), options);
    }

    protected override IReadModelSink Sink { get; }

    public void Dispose() => _invoker.Dispose();
}
