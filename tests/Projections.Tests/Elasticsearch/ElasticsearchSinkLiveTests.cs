using System.Reflection;
using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Sinks.Elasticsearch;
using EventSourcing.Projections.Tests.Sinks;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.Projections.Tests.Elasticsearch;

/// <summary>
/// The sink behaviour suite against a live Elasticsearch (ELASTICSEARCH_URL, e.g. after <c>docker compose up -d</c>);
/// every behaviour is reported as skipped, with the reason, when the variable is unset. The suite's tests run one
/// by one through <see cref="Behaviour"/>, so each can be skipped while the suite itself stays a plain xunit class.
/// </summary>
public sealed class ElasticsearchSinkLiveTests
{
    public static TheoryData<string> Behaviours()
    {
        var data = new TheoryData<string>();
        foreach (var method in typeof(ReadModelSinkBehaviour).GetMethods(BindingFlags.Public | BindingFlags.Instance)
                     .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
                     .OrderBy(m => m.Name, StringComparer.Ordinal))
            data.Add(method.Name);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Behaviours))]
    public async Task Behaviour(string name)
    {
        var url = LiveServices.RequireElasticsearch();
        var options = new ElasticsearchOptions
        {
            Urls = [url],
            ApiKey = Environment.GetEnvironmentVariable("ELASTICSEARCH_API_KEY"),
            AllowCredentialsOverHttp = true,
        };
        var suite = new LiveSuite(new ElasticsearchSink(ElasticsearchClientFactory.Create(options), options));
        try
        {
            var test = typeof(ReadModelSinkBehaviour).GetMethod(name)!;
            await (Task)test.Invoke(suite, null)!;
        }
        finally
        {
            await suite.CleanUpAsync();
        }
    }

    /// <summary>Not public, so xunit does not run the inherited facts without the gate above.</summary>
    private sealed class LiveSuite(ElasticsearchSink sink) : ReadModelSinkBehaviour
    {
        private readonly List<string> _readModels = [];

        protected override IReadModelSink Sink => sink;

        protected override string NewReadModelName()
        {
            var name = base.NewReadModelName();
            _readModels.Add(name);
            return name;
        }

        protected override async Task AfterWriteAsync(ReadModelTarget target)
        {
            var refreshed = await sink.Client.Indices.RefreshAsync(ElasticsearchSink.IndexOf(target), CancellationToken.None);
            Assert.True(refreshed.IsValidResponse, $"refresh of {ElasticsearchSink.IndexOf(target)} failed");
        }

        public async Task CleanUpAsync()
        {
            // Concrete names: Elasticsearch refuses wildcard deletes by default (action.destructive_requires_name).
            var indices = _readModels.SelectMany(m => new[] { 1, 2, 3 }.Select(v => ElasticsearchIndexNames.Index(m, v))).ToList();
            if (indices.Count > 0)
                await sink.Client.Indices.DeleteAsync(
                    new Elastic.Clients.Elasticsearch.IndexManagement.DeleteIndexRequest(Elastic.Clients.Elasticsearch.Indices.Parse(string.Join(',', indices), null))
                    {
                        IgnoreUnavailable = true,
                    },
                    CancellationToken.None);
        }
    }
}
