using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Sinks.Elasticsearch;
using EventSourcing.Projections.Tests.Elasticsearch.Transport;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.Projections.Verification;
using EventSourcing.TestInfrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcing.Projections.Tests.Verification;

/// <summary>
/// The verifier on the Elasticsearch sink, through the client's in-memory transport answered by
/// <see cref="InMemoryElasticsearch"/>, with a real daemon on PostgreSQL writing the read model.
/// </summary>
public sealed class ElasticsearchVerifyTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly RecordingRequestInvoker _invoker = new(new InMemoryElasticsearch().Handle);

    [Fact]
    public async Task an_elasticsearch_read_model_is_compared_document_by_document_and_a_changed_field_is_named()
    {
        var schema = postgres.NewSchemaName();
        var options = ScriptedElasticsearch.DefaultOptions;
        var sink = new ElasticsearchSink(ElasticsearchClientFactory.Create(options, _invoker), options);
        using var daemon = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection()], _ => sink);
        await daemon.StartAsync();
        var orders = await TestEventLog.SeedOrdersAsync(daemon.Services.GetRequiredService<IDocumentStore>(), orders: 12);
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary"), c => c >= head, TimeSpan.FromSeconds(60), "the daemon to catch up");
        await daemon.StopAsync();
        var verifier = ActivatorUtilities.CreateInstance<ProjectionVerifier>(daemon.Services);

        var equal = await verifier.VerifyAsync("order_summary", 10, 5, null, CancellationToken.None);

        Assert.True(equal.Equal, string.Join("\n", equal.Differences));
        Assert.Equal(10, equal.Compared); // 12 orders, 2 purged: Elasticsearch returns no deleted document
        Assert.Contains(_invoker.Requests, r => r.Path == "/order_summary-v1/_pit");

        // the same version, another status: what a lost or mis-applied event leaves behind
        var key = orders[5].ToString("D");
        var stored = (await sink.LoadAsync(ReadModelTarget.For(new OrderSummaryProjection()), [key], CancellationToken.None))[key];
        await sink.WriteAsync(ReadModelTarget.For(new OrderSummaryProjection()),
            [new DocumentChange(key, ((OrderSummary)stored.Document!) with { Status = "lost" }, stored.Version, new[] { stored.Version })],
            SinkWriteContext.Direct, CancellationToken.None);

        var different = await verifier.VerifyAsync("order_summary", 10, 5, null, CancellationToken.None);

        Assert.Equal((10L, 0L, 0L, 1L), (different.Compared, different.Missing, different.Extra, different.Different));
        var difference = Assert.Single(different.Differences);
        Assert.Equal((key, "different", "status", "\"lost\""), (difference.Key, difference.Kind, difference.Field, difference.Actual));
    }

    [Fact]
    public async Task a_document_deleted_after_the_checkpoint_is_not_missing_but_one_deleted_without_an_event_is()
    {
        var schema = postgres.NewSchemaName();
        var options = ScriptedElasticsearch.DefaultOptions;
        var sink = new ElasticsearchSink(ElasticsearchClientFactory.Create(options, _invoker), options);
        using var daemon = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection()], _ => sink);
        await daemon.StartAsync();
        var store = daemon.Services.GetRequiredService<IDocumentStore>();
        var orders = await TestEventLog.SeedOrdersAsync(store, orders: 12);
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary"), c => c >= head, TimeSpan.FromSeconds(60), "the daemon to catch up");
        await daemon.StopAsync();

        // the daemon wrote a purge to Elasticsearch but crashed before its checkpoint moved: Elasticsearch keeps no marker
        var (purged, lost) = (orders[3].ToString("D"), orders[4].ToString("D"));
        await store.AppendAsync(orders[3], new OrderPurged(orders[3]));
        var purge = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        var target = ReadModelTarget.For(new OrderSummaryProjection());
        await sink.WriteAsync(target, [new DocumentChange(purged, null, purge, new[] { purge })], SinkWriteContext.Direct, CancellationToken.None);
        // and a document vanished with no event behind it
        var version = (await sink.LoadAsync(target, [lost], CancellationToken.None))[lost].Version;
        await sink.WriteAsync(target, [new DocumentChange(lost, null, version, new[] { version })], SinkWriteContext.Direct, CancellationToken.None);

        var report = await ActivatorUtilities.CreateInstance<ProjectionVerifier>(daemon.Services).VerifyAsync("order_summary", 10, 5, null, CancellationToken.None);

        Assert.Equal(1, report.ChangedSinceCheckpoint);
        Assert.Equal((9L, 1L, 0L, 0L), (report.Compared, report.Missing, report.Extra, report.Different));
        Assert.Equal((lost, "missing"), (Assert.Single(report.Differences).Key, report.Differences[0].Kind));
    }

    public void Dispose() => _invoker.Dispose();
}
