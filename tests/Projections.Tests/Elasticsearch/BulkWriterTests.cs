using System.Buffers;
using System.Text;
using System.Text.Json;
using EventSourcing.Projections.Sinks.Elasticsearch;
using EventSourcing.Projections.Tests.Elasticsearch.Transport;
using Snapshooter.Xunit;
using static EventSourcing.Projections.Tests.Elasticsearch.OrderSummaryIndex;
using static EventSourcing.Projections.Tests.Elasticsearch.Transport.EsResponses;

namespace EventSourcing.Projections.Tests.Elasticsearch;

public sealed class BulkWriterTests
{
    private const string Index = "orders-v1";

    private static ElasticsearchBulkWriter Writer(ScriptedElasticsearch es, ElasticsearchOptions? options = null)
    {
        options ??= ScriptedElasticsearch.DefaultOptions;
        return new ElasticsearchBulkWriter(es.Client(options), options, TimeProvider.System, () => 0.5);
    }

    private static DocumentWrite<OrderSummary> Put(int n, long version, string status = "placed") => new($"o-{n}", Order(n, status), version);

    private static DocumentWrite<OrderSummary> Remove(int n, long version) => new($"o-{n}", null, version);

    [Fact]
    public async Task the_bulk_body_is_ndjson_with_the_global_sequence_as_external_version()
    {
        var snapshot = Snapshot.FullName();
        using var es = new ScriptedElasticsearch().On("POST", "/orders-v1/_bulk", Bulk(Indexed(Index, "o-1", 17), Indexed(Index, "o-2", 18), Deleted(Index, "o-3", 21)));

        var result = await Writer(es).WriteAsync(Index, [Put(1, 17), Put(2, 18, "paid"), Remove(3, 21)], CancellationToken.None);

        Assert.Equal([BulkWriteStatus.Written, BulkWriteStatus.Written, BulkWriteStatus.Written], result.Items.Select(i => i.Status));
        Assert.Equal(1, result.Attempts);
        var request = Assert.Single(es.Requests);
        Snapshot.Match(RequestSnapshot.Of(request), snapshot);
    }

    [Theory]
    [InlineData(RefreshPolicy.False, "refresh=false")]
    [InlineData(RefreshPolicy.WaitFor, "refresh=wait_for")]
    [InlineData(RefreshPolicy.True, "refresh=true")]
    public async Task the_refresh_policy_is_sent_with_every_bulk_call(RefreshPolicy policy, string expected)
    {
        using var es = new ScriptedElasticsearch().On("POST", "/orders-v1/_bulk", Bulk(Indexed(Index, "o-1", 1)));

        await Writer(es, ScriptedElasticsearch.DefaultOptions with { Refresh = policy }).WriteAsync(Index, [Put(1, 1)], CancellationToken.None);

        Assert.Equal("/orders-v1/_bulk?" + expected + "&filter_path=errors,items.*.error,items.*.status", es.Requests.Single().PathAndQuery);
    }

    [Fact]
    public async Task a_response_without_errors_counts_every_item_as_written_without_reading_the_items()
    {
        // "errors": false is Elasticsearch's statement that every item succeeded; the items are not read,
        // so even a response whose items were filtered away entirely is enough.
        using var es = new ScriptedElasticsearch().On("POST", "/orders-v1/_bulk", Ok("""{"errors":false,"items":[]}"""));

        var result = await Writer(es).WriteAsync(Index, [Put(1, 1), Remove(2, 2)], CancellationToken.None);

        Assert.Equal(2, result.Written);
        Assert.Equal(["o-1", "o-2"], result.Items.Select(i => i.Id));
        Assert.Equal([1L, 2L], result.Items.Select(i => i.Version));
    }

    [Fact]
    public async Task a_filtered_response_with_errors_is_read_item_by_item_in_request_order()
    {
        // The shape Elasticsearch returns for filter_path=errors,items.*.error,items.*.status: no _id, no _index.
        using var es = new ScriptedElasticsearch().On("POST", "/orders-v1/_bulk",
            Ok("""
               {"errors":true,"items":[
                 {"index":{"status":201}},
                 {"index":{"status":409,"error":{"type":"version_conflict_engine_exception","reason":"[o-2]: version conflict, current version [9] is higher than or equal to the one provided [2]"}}},
                 {"delete":{"status":404}},
                 {"index":{"status":400,"error":{"type":"document_parsing_exception","reason":"failed to parse field [total]"}}}
               ]}
               """));

        var result = await Writer(es).WriteAsync(Index, [Put(1, 1), Put(2, 2), Remove(3, 3), Put(4, 4)], CancellationToken.None);

        Assert.Equal(
            [BulkWriteStatus.Written, BulkWriteStatus.AlreadyApplied, BulkWriteStatus.Written, BulkWriteStatus.Rejected],
            result.Items.Select(i => i.Status));
        Assert.Equal(new BulkItemOutcome("o-4", 4, BulkWriteStatus.Rejected, 400, "document_parsing_exception", "failed to parse field [total]"), result.Items[3]);
    }

    [Fact]
    public async Task a_response_with_errors_but_a_wrong_number_of_items_fails_the_batch_as_transient()
    {
        using var es = new ScriptedElasticsearch().On("POST", "/orders-v1/_bulk", Bulk(Rejected429(Index, "o-1")));

        var error = await Assert.ThrowsAsync<ElasticsearchSinkException>(() => Writer(es).WriteAsync(Index, [Put(1, 1), Put(2, 2)], CancellationToken.None));

        Assert.True(error.IsTransient);
        Assert.Contains("1 items for 2 operations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_partial_failure_retries_only_the_429_items_and_reports_conflicts_as_applied_and_4xx_as_rejected()
    {
        var snapshot = Snapshot.FullName();
        using var es = new ScriptedElasticsearch().On("POST", "/orders-v1/_bulk",
            Bulk(
                Indexed(Index, "o-1", 31),
                VersionConflict(Index, "o-2", current: 40, provided: 32),
                Rejected429(Index, "o-3"),
                MapperParsing400(Index, "o-4", "total", "twelve"),
                Deleted(Index, "o-5", 35, found: false),
                Unavailable503(Index, "o-6")),
            Bulk(Indexed(Index, "o-3", 33), Indexed(Index, "o-6", 36)));

        var result = await Writer(es).WriteAsync(Index, [Put(1, 31), Put(2, 32), Put(3, 33), Put(4, 34), Remove(5, 35), Put(6, 36)], CancellationToken.None);

        Assert.Equal(4, result.Written);         // o-1, o-5 (already gone), then o-3 and o-6 on the retry
        Assert.Equal(1, result.AlreadyApplied);  // o-2: Elasticsearch holds version 40 >= 32
        Assert.Equal(2, result.Attempts);
        Assert.Equal(
            [BulkWriteStatus.Written, BulkWriteStatus.AlreadyApplied, BulkWriteStatus.Written, BulkWriteStatus.Rejected, BulkWriteStatus.Written, BulkWriteStatus.Written],
            result.Items.Select(i => i.Status));
        Assert.Equal(new BulkItemOutcome("o-4", 34, BulkWriteStatus.Rejected, 400, "mapper_parsing_exception",
            "failed to parse field [total] of type [double] in document with id 'o-4'. Preview of field's value: 'twelve'"), result.Items[3]);
        Assert.Equal(2, es.Requests.Count);
        Snapshot.Match(RequestSnapshot.Of(es.Requests[1]), snapshot);
    }

    [Fact]
    public async Task items_still_rejected_with_429_after_the_last_attempt_fail_the_batch_as_transient()
    {
        using var es = new ScriptedElasticsearch().On("POST", "/orders-v1/_bulk",
            Bulk(Indexed(Index, "o-1", 1), Rejected429(Index, "o-2")),
            Bulk(Rejected429(Index, "o-2")));

        var error = await Assert.ThrowsAsync<ElasticsearchSinkException>(() => Writer(es).WriteAsync(Index, [Put(1, 1), Put(2, 2)], CancellationToken.None));

        Assert.True(error.IsTransient);
        Assert.Equal(3, es.Requests.Count); // MaxBulkAttempts
        Assert.Contains("1 of 2 documents still failed after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("es_rejected_execution_exception", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_whole_request_rejected_with_429_or_5xx_is_retried()
    {
        using var es = new ScriptedElasticsearch().On("POST", "/orders-v1/_bulk",
            Error(429, "es_rejected_execution_exception", "rejected execution of org.elasticsearch.action.bulk.TransportBulkAction on EsThreadPoolExecutor[name = es01/write, queue capacity = 10000]"),
            Error(503, "cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE/2/no master];"),
            Bulk(Indexed(Index, "o-1", 1)));

        var result = await Writer(es).WriteAsync(Index, [Put(1, 1)], CancellationToken.None);

        Assert.Equal(1, result.Written);
        Assert.Equal(3, result.Attempts);
        Assert.All(es.Requests, r => Assert.Equal(es.Requests[0].Body, r.Body));
    }

    [Fact]
    public async Task a_whole_request_refused_with_another_4xx_is_not_retried()
    {
        using var es = new ScriptedElasticsearch().On("POST", "/orders-v1/_bulk",
            Error(400, "illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]"));

        var error = await Assert.ThrowsAsync<ElasticsearchSinkException>(() => Writer(es).WriteAsync(Index, [Put(1, 1)], CancellationToken.None));

        Assert.False(error.IsTransient);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("illegal_argument_exception", error.ErrorType);
        Assert.Single(es.Requests);
    }

    [Fact]
    public async Task an_empty_batch_sends_nothing()
    {
        using var es = new ScriptedElasticsearch();

        var result = await Writer(es).WriteAsync<OrderSummary>(Index, [], CancellationToken.None);

        Assert.Same(BulkWriteResult.Empty, result);
        Assert.Empty(es.Requests);
    }

    [Theory]
    [InlineData("o-1", 17L, false)]
    [InlineData("order_00.42-X", long.MaxValue, true)]
    [InlineData("7d5f4c0e-6a55-4e3a-9d1e-0f2b8c7a1b11", 0L, false)]
    [InlineData("needs \"escaping\" <ü>&+", 5L, false)]
    [InlineData("", 1L, true)]
    public void the_action_line_is_byte_for_byte_what_the_json_writer_writes(string id, long version, bool delete)
    {
        var written = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(written))
            BulkBody.WriteAction(json, written, delete, id, version);

        var expected = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(expected))
        {
            json.WriteStartObject();
            json.WriteStartObject(delete ? "delete" : "index");
            json.WriteString("_id", id);
            json.WriteNumber("version", version);
            json.WriteString("version_type", "external_gte");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        Assert.Equal(Encoding.UTF8.GetString(expected.WrittenSpan) + "\n", Encoding.UTF8.GetString(written.WrittenSpan));
    }

    [Theory]
    [InlineData(1, 0.0, 50)]
    [InlineData(1, 0.999, 100)]
    [InlineData(2, 0.0, 100)]
    [InlineData(3, 0.0, 200)]
    [InlineData(5, 0.0, 500)]    // 1,600 ms capped at 1,000 ms, half of it without jitter
    [InlineData(30, 0.999, 1000)]
    public void backoff_doubles_per_attempt_is_capped_and_jittered_within_the_upper_half(int attempt, double random, int expectedMs)
    {
        var delay = Backoff.Delay(attempt, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), random);

        Assert.InRange(delay.TotalMilliseconds, expectedMs - 1, expectedMs);
    }
}
