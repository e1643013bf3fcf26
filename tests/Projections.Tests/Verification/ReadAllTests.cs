using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Sinks.Elasticsearch;
using EventSourcing.Projections.Sinks.Postgres;
using EventSourcing.Projections.Tests.Elasticsearch.Transport;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Snapshooter.Xunit;

namespace EventSourcing.Projections.Tests.Verification;

/// <summary>
/// Reading every document of a read-model version, what <c>projections verify</c> compares: each document exactly
/// once with its version, across pages. PostgreSQL pages its table by key (deletion markers included, with no
/// document); Elasticsearch refreshes, opens a point in time, pages with search_after and closes it.
/// </summary>
public sealed class ReadAllTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly ReadModelTarget Target = ReadModelTarget.For(new OrderSummaryProjection());

    private static IReadOnlyList<DocumentChange> Changes() =>
    [
        .. Enumerable.Range(1, 25).Select(i =>
            new DocumentChange($"k-{i:00}", new OrderSummary(new Guid(i, 0, 0, new byte[8]), "c-" + i, i, "placed", i), 100 + i, new[] { 100L + i })),
        new DocumentChange("k-07", null, 200, new[] { 200L }),
    ];

    private static async Task<List<StoredDocument>> ReadAllAsync(IReadModelSink sink, int pageSize)
    {
        var read = new List<StoredDocument>();
        await foreach (var document in sink.ReadAllAsync(Target, pageSize, CancellationToken.None))
            read.Add(document);
        return read;
    }

    [Fact]
    public async Task postgres_reads_every_row_once_in_key_order_across_pages_with_its_version_and_the_deletion_marker()
    {
        var sink = new PostgresSink(postgres.DataSource, new PostgresSinkOptions(postgres.NewSchemaName()));
        await sink.PrepareAsync(Target, CancellationToken.None);
        await sink.WriteAsync(Target, Changes(), SinkWriteContext.Direct, CancellationToken.None);

        var read = await ReadAllAsync(sink, pageSize: 4);

        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"k-{i:00}"), read.Select(d => d.Key));
        Assert.Equal(Enumerable.Range(1, 25).Select(i => i == 7 ? 200L : 100 + i), read.Select(d => d.Version));
        Assert.Null(read.Single(d => d.Key == "k-07").Document);
        Assert.Equal("c-12", Assert.IsType<OrderSummary>(read.Single(d => d.Key == "k-12").Document).Customer);
    }

    [Fact]
    public async Task elasticsearch_reads_every_live_document_once_through_a_point_in_time_and_closes_it()
    {
        var snapshot = Snapshot.FullName();
        var server = new InMemoryElasticsearch();
        using var invoker = new RecordingRequestInvoker(server.Handle);
        var options = ScriptedElasticsearch.DefaultOptions;
        var sink = new ElasticsearchSink(ElasticsearchClientFactory.Create(options, invoker), options);
        await sink.PrepareAsync(Target, CancellationToken.None);
        await sink.WriteAsync(Target, Changes(), SinkWriteContext.Direct, CancellationToken.None);
        var before = invoker.Requests.Count;

        var read = await ReadAllAsync(sink, pageSize: 10);

        Assert.Equal(Enumerable.Range(1, 25).Where(i => i != 7).Select(i => $"k-{i:00}"), read.Select(d => d.Key).Order(StringComparer.Ordinal));
        Assert.All(read, d => Assert.Equal(100 + int.Parse(d.Key[2..], System.Globalization.CultureInfo.InvariantCulture), d.Version));
        Assert.Equal("c-12", Assert.IsType<OrderSummary>(read.Single(d => d.Key == "k-12").Document).Customer);
        var requests = invoker.Requests.Skip(before).ToList();
        // refresh, open, 3 pages (10 + 10 + 4 documents), close
        Assert.Equal(["POST /order_summary-v1/_refresh", "POST /order_summary-v1/_pit", "POST /_search", "POST /_search", "POST /_search", "DELETE /_pit"],
            requests.Select(r => r.Method + " " + r.Path));
        Assert.Equal(0, server.OpenPointsInTime);
        Snapshot.Match(RequestSnapshot.Of(requests.Skip(1).Take(3)), snapshot);
    }
}
