using EventSourcing.Projections.Sinks.Elasticsearch;
using EventSourcing.Projections.Tests.Elasticsearch.Transport;
using Snapshooter.Xunit;
using static EventSourcing.Projections.Tests.Elasticsearch.Transport.EsResponses;

namespace EventSourcing.Projections.Tests.Elasticsearch;

public sealed class IndexLayoutTests
{
    private static readonly ElasticsearchIndexDefinition Orders = OrderSummaryIndex.Definition;
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static ElasticsearchIndexManager Manager(ScriptedElasticsearch es, TimeProvider? time = null) =>
        new(es.Client(), ScriptedElasticsearch.DefaultOptions with { RetainRetiredIndexFor = TimeSpan.FromHours(24) }, time ?? new FixedTimeProvider(Now));

    [Fact]
    public void versioned_index_names_sit_behind_the_alias()
    {
        Assert.Equal("orders", Orders.Alias);
        Assert.Equal("orders-v3", Orders.IndexFor(3));
        Assert.True(ElasticsearchIndexNames.TryParseVersion("orders", "orders-v12", out var version));
        Assert.Equal(12, version);
        Assert.False(ElasticsearchIndexNames.TryParseVersion("orders", "orders-archive", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Orders.IndexFor(0));
    }

    [Theory]
    [InlineData("Orders")]
    [InlineData("_orders")]
    [InlineData("orders*")]
    [InlineData("")]
    public void an_invalid_alias_is_refused_naming_it(string alias)
    {
        var error = Assert.Throws<ArgumentException>(() => new ElasticsearchIndexDefinition(alias));

        Assert.Contains($"'{alias}' is not a valid Elasticsearch alias", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_missing_index_is_created_with_the_declared_mappings_and_settings()
    {
        var snapshot = Snapshot.FullName();
        using var es = new ScriptedElasticsearch()
            .On("HEAD", "/orders-v1", Exists(false))
            .On("PUT", "/orders-v1", IndexCreated("orders-v1"));

        var created = await Manager(es).EnsureIndexAsync(Orders, 1, CancellationToken.None);

        Assert.True(created);
        Assert.Equal(["HEAD /orders-v1", "PUT /orders-v1"], es.Requests.Select(r => r.Method + " " + r.Path));
        Snapshot.Match(RequestSnapshot.Of(es.Requests[1]), snapshot);
    }

    [Fact]
    public async Task an_existing_index_is_left_as_it_is()
    {
        using var es = new ScriptedElasticsearch().On("HEAD", "/orders-v2", Exists(true));

        var created = await Manager(es).EnsureIndexAsync(Orders, 2, CancellationToken.None);

        Assert.False(created);
        Assert.Equal(["HEAD /orders-v2"], es.Requests.Select(r => r.Method + " " + r.Path));
    }

    [Fact]
    public async Task an_index_created_by_another_host_in_between_counts_as_existing()
    {
        using var es = new ScriptedElasticsearch()
            .On("HEAD", "/orders-v1", Exists(false))
            .On("PUT", "/orders-v1", Error(400, "resource_already_exists_exception", "index [orders-v1/3xD1dZ0aT8WqTfDg4X4bVQ] already exists"));

        Assert.False(await Manager(es).EnsureIndexAsync(Orders, 1, CancellationToken.None));
    }

    [Fact]
    public async Task index_creation_refused_by_elasticsearch_fails_with_its_reason()
    {
        using var es = new ScriptedElasticsearch()
            .On("HEAD", "/orders-v1", Exists(false))
            .On("PUT", "/orders-v1", Error(400, "mapper_parsing_exception", "Failed to parse mapping: unknown parameter [scaling_factr] on mapper [total] of type [scaled_float]"));

        var error = await Assert.ThrowsAsync<ElasticsearchSinkException>(() => Manager(es).EnsureIndexAsync(Orders, 1, CancellationToken.None));

        Assert.False(error.IsTransient);
        Assert.Equal("Elasticsearch PUT /orders-v1 failed (HTTP 400): mapper_parsing_exception: Failed to parse mapping: unknown parameter [scaling_factr] on mapper [total] of type [scaled_float]", error.Message);
    }

    [Fact]
    public async Task the_swap_moves_the_alias_in_one_request_and_marks_the_old_index_retired()
    {
        var snapshot = Snapshot.FullName();
        using var es = new ScriptedElasticsearch()
            .On("GET", "/_alias/orders", AliasTargets("orders", "orders-v1"))
            .On("POST", "/_aliases", Acknowledged())
            .On("PUT", "/orders-v1/_mapping", Acknowledged());

        var retired = await Manager(es).SwapAliasAsync(Orders, 2, CancellationToken.None);

        Assert.Equal(["orders-v1"], retired);
        Assert.Single(es.Requests, r => r.Path == "/_aliases");
        Snapshot.Match(RequestSnapshot.Of(es.Requests.Where(r => r.Method != "GET")), snapshot);
    }

    [Fact]
    public async Task the_first_swap_only_adds_the_alias()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", "/_alias/orders", AliasMissing("orders"))
            .On("POST", "/_aliases", Acknowledged());

        var retired = await Manager(es).SwapAliasAsync(Orders, 1, CancellationToken.None);

        Assert.Empty(retired);
        Assert.Equal("""{"actions":[{"add":{"alias":"orders","index":"orders-v1"}}]}""", es.Requests.Single(r => r.Path == "/_aliases").Body);
    }

    [Fact]
    public async Task swapping_to_the_version_already_served_sends_nothing()
    {
        using var es = new ScriptedElasticsearch().On("GET", "/_alias/orders", AliasTargets("orders", "orders-v2"));

        var retired = await Manager(es).SwapAliasAsync(Orders, 2, CancellationToken.None);

        Assert.Empty(retired);
        Assert.DoesNotContain(es.Requests, r => r.Method != "GET");
        Assert.Equal(2, await Manager(es).GetServingVersionAsync(Orders, CancellationToken.None));
    }

    [Fact]
    public async Task a_failed_swap_is_reported_and_marks_nothing_retired()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", "/_alias/orders", AliasTargets("orders", "orders-v1"))
            .On("POST", "/_aliases", Error(404, "index_not_found_exception", "no such index [orders-v2]"));

        var error = await Assert.ThrowsAsync<ElasticsearchSinkException>(() => Manager(es).SwapAliasAsync(Orders, 2, CancellationToken.None));

        Assert.Contains("index_not_found_exception: no such index [orders-v2]", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(es.Requests, r => r.Path.EndsWith("/_mapping", StringComparison.Ordinal));
    }

    [Fact]
    public async Task only_indices_retired_longer_than_the_retention_are_deleted()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", "/_alias/orders", AliasTargets("orders", "orders-v3"))
            .On("GET", "/orders-v*/_mapping", Mappings(
                ("orders-v1", Now.AddHours(-25)),   // retired 25 h ago: past the 24 h retention
                ("orders-v2", Now.AddHours(-1)),    // retired 1 h ago: kept for rollback
                ("orders-v3", Now.AddHours(-30)),   // served again after a rollback: never deleted
                ("orders-v4", null)))               // a rebuild in progress: never retired
            .On("DELETE", "/orders-v1", Acknowledged());

        var deleted = await Manager(es).DeleteRetiredAsync(Orders, CancellationToken.None);

        Assert.Equal(["orders-v1"], deleted);
        Assert.Equal(["DELETE /orders-v1"], es.Requests.Where(r => r.Method == "DELETE").Select(r => r.Method + " " + r.Path));
    }
}
