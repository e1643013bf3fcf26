using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Sinks.Elasticsearch;
using EventSourcing.Projections.Tests.Elasticsearch.Transport;
using Snapshooter.Xunit;
using static EventSourcing.Projections.Tests.Elasticsearch.OrderSummaryIndex;
using static EventSourcing.Projections.Tests.Elasticsearch.Transport.EsResponses;

namespace EventSourcing.Projections.Tests.Elasticsearch;

/// <summary>The sink as the daemon sees it: index layout from the projection's JSON, outcomes per change, failures the circuit understands.</summary>
public sealed class ElasticsearchSinkTests
{
    private static readonly SearchIndexDefinition SearchIndex = SearchIndexDefinition.Parse(
        """{"dynamic":"strict","properties":{"orderId":{"type":"keyword"},"customerId":{"type":"keyword"},"status":{"type":"keyword"},"total":{"type":"scaled_float","scaling_factor":100},"placedAt":{"type":"date"}}}""",
        """{"number_of_shards":3,"number_of_replicas":1,"refresh_interval":"1s"}""");

    private static readonly ReadModelTarget Target = new("order_search", 2, typeof(OrderSummary), SearchIndex);

    private static ElasticsearchSink Sink(ScriptedElasticsearch es) => new(es.Client(), ScriptedElasticsearch.DefaultOptions);

    [Fact]
    public void indices_are_named_per_version_behind_the_read_model_alias()
    {
        Assert.Equal("order_search", ElasticsearchSink.AliasOf("order_search"));
        Assert.Equal("order_search-v2", ElasticsearchSink.IndexOf(Target));
    }

    [Fact]
    public async Task prepare_creates_the_version_index_with_the_projection_mappings_and_settings()
    {
        var snapshot = Snapshot.FullName();
        using var es = new ScriptedElasticsearch()
            .On("HEAD", "/order_search-v2", Exists(false))
            .On("PUT", "/order_search-v2", IndexCreated("order_search-v2"));

        await Sink(es).PrepareAsync(Target, CancellationToken.None);

        Snapshot.Match(RequestSnapshot.Of(es.Requests.Single(r => r.Method == "PUT")), snapshot);
    }

    [Fact]
    public async Task each_change_gets_its_outcome_in_order_with_elasticsearchs_reason_for_a_rejection()
    {
        using var es = new ScriptedElasticsearch().On("POST", "/order_search-v2/_bulk", Bulk(
            Indexed("order_search-v2", "o-1", 41),
            MapperParsing400("order_search-v2", "o-2", "total", "twelve"),
            VersionConflict("order_search-v2", "o-3", current: 50, provided: 43),
            Deleted("order_search-v2", "o-4", 44)));
        DocumentChange[] changes =
        [
            new("o-1", Order(1), 41, new long[] { 40, 41 }),
            new("o-2", Order(2), 42, new long[] { 42 }),
            new("o-3", Order(3), 43, new long[] { 43 }),
            new("o-4", null, 44, new long[] { 44 }),
        ];

        var outcomes = await Sink(es).WriteAsync(Target, changes, SinkWriteContext.Direct, CancellationToken.None);

        Assert.Equal(
            [
                WriteOutcome.Applied("o-1"),
                new WriteOutcome("o-2", WriteStatus.Rejected,
                    "HTTP 400 mapper_parsing_exception: failed to parse field [total] of type [double] in document with id 'o-2'. Preview of field's value: 'twelve'"),
                new WriteOutcome("o-3", WriteStatus.AlreadyApplied),
                WriteOutcome.Applied("o-4"),
            ],
            outcomes);
    }

    [Fact]
    public async Task items_that_stay_rejected_with_429_surface_as_sink_unavailable_so_the_circuit_pauses()
    {
        using var es = new ScriptedElasticsearch().On("POST", "/order_search-v2/_bulk", Bulk(Rejected429("order_search-v2", "o-1")));

        var error = await Assert.ThrowsAsync<SinkUnavailableException>(() =>
            Sink(es).WriteAsync(Target, [new DocumentChange("o-1", Order(1), 1, new long[] { 1 })], SinkWriteContext.Direct, CancellationToken.None));

        Assert.Equal(ScriptedElasticsearch.DefaultOptions.MaxBulkAttempts, es.Requests.Count);
        var cause = Assert.IsType<ElasticsearchSinkException>(error.InnerException);
        Assert.True(cause.IsTransient);
    }

    [Fact]
    public async Task documents_load_as_the_read_models_type_from_one_mget()
    {
        using var es = new ScriptedElasticsearch().On("POST", "/order_search-v2/_mget",
            MultiGet(Found("order_search-v2", "o-1", 41, Order(1)), NotFound("order_search-v2", "o-9")));

        var loaded = await Sink(es).LoadAsync(Target, ["o-1", "o-9"], CancellationToken.None);

        Assert.Equal(new StoredDocument("o-1", Order(1), 41), Assert.Single(loaded).Value);
        Assert.Equal("""{"ids":["o-1","o-9"]}""", Assert.Single(es.Requests).Body);
    }

    [Fact]
    public async Task live_reads_go_through_the_alias()
    {
        using var es = new ScriptedElasticsearch().On("POST", "/order_search/_mget", MultiGet(Found("order_search-v1", "o-1", 7, Order(1))));

        var loaded = await Sink(es).LoadLiveAsync(Target, ["o-1"], CancellationToken.None);

        Assert.Equal(7, loaded["o-1"].Version);
    }

    [Fact]
    public async Task retiring_the_version_the_alias_serves_is_refused()
    {
        using var es = new ScriptedElasticsearch().On("GET", "/_alias/order_search", AliasTargets("order_search", "order_search-v2"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Sink(es).RetireAsync(Target, CancellationToken.None));

        Assert.Equal("cannot retire order_search-v2: the alias order_search serves it; swap to another version first", error.Message);
        Assert.DoesNotContain(es.Requests, r => r.Method == "DELETE");
    }
}
