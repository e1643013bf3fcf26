using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Sinks.Elasticsearch;
using EventSourcing.Projections.Tests.Sinks;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.Projections.Tests.Elasticsearch;

/// <summary>
/// The whole sink behaviour suite against a live Elasticsearch (ELASTICSEARCH_URL, e.g. after
/// <c>docker compose up -d</c>; optionally ELASTICSEARCH_API_KEY). It inherits every test of
/// <see cref="ReadModelSinkBehaviour"/>; the first use of <see cref="Sink"/> requires the server, so with the
/// variable unset each test is reported as skipped with the reason, never silently passed.
/// </summary>
public sealed class ElasticsearchSinkLiveTests : ReadModelSinkBehaviour, IAsyncLifetime
{
    private readonly List<string> _readModels = [];
    private ElasticsearchSink? _sink;

    protected override IReadModelSink Sink => _sink ??= Connect();

    private static ElasticsearchSink Connect()
    {
        var url = LiveServices.RequireElasticsearch();
        var options = new ElasticsearchOptions
        {
            Urls = [url],
            ApiKey = Environment.GetEnvironmentVariable("ELASTICSEARCH_API_KEY"),
            AllowCredentialsOverHttp = true,
        };
        return new ElasticsearchSink(ElasticsearchClientFactory.Create(options), options);
    }

    protected override string NewReadModelName()
    {
        var name = base.NewReadModelName();
        _readModels.Add(name);
        return name;
    }

    protected override async Task AfterWriteAsync(ReadModelTarget target)
    {
        var sink = (ElasticsearchSink)Sink;
        var refreshed = await sink.Client.Indices.RefreshAsync(ElasticsearchSink.IndexOf(target), CancellationToken.None);
        Assert.True(refreshed.IsValidResponse, $"refresh of {ElasticsearchSink.IndexOf(target)} failed");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_sink is null || _readModels.Count == 0)
            return;
        // Concrete names: Elasticsearch refuses wildcard deletes by default (action.destructive_requires_name).
        var indices = _readModels.SelectMany(m => new[] { 1, 2, 3 }.Select(v => ElasticsearchIndexNames.Index(m, v))).ToList();
        await _sink.Client.Indices.DeleteAsync(
            new Elastic.Clients.Elasticsearch.IndexManagement.DeleteIndexRequest(Elastic.Clients.Elasticsearch.Indices.Parse(string.Join(',', indices), null))
            {
                IgnoreUnavailable = true,
            },
            CancellationToken.None);
    }
}
