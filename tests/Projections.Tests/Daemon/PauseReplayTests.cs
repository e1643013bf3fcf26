using System.Text.Json;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Rebuild;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Projections.Tests.Daemon;

public sealed class PauseReplayTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task a_paused_projection_applies_nothing_while_another_catches_up_and_continues_after_resume()
    {
        var schema = postgres.NewSchemaName();
        using var host = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection("paused_one"), new OrderSummaryProjection("running_one")]);
        await host.StartAsync();
        var store = host.Services.GetRequiredService<ProjectionRuntime>().Store;
        await store.SetPausedAsync("paused_one", paused: true, CancellationToken.None);

        await TestEventLog.SeedOrdersAsync(host.Services.GetRequiredService<IDocumentStore>(), orders: 10);
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, "running_one"), c => c >= head, Timeout, "the running projection");

        Assert.True(await TestEventLog.CheckpointAsync(postgres.DataSource, schema, "paused_one") < head);
        Assert.Empty(await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, "paused_one"));

        await store.SetPausedAsync("paused_one", paused: false, CancellationToken.None);
        await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, "paused_one"), c => c >= head, Timeout, "the resumed projection");
        Assert.Equal(await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, "running_one"),
            await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, "paused_one"));
        await host.StopAsync();
    }

    [Fact]
    public async Task replaying_one_stream_reapplies_only_its_events_to_the_live_documents()
    {
        var schema = postgres.NewSchemaName();
        using var host = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection()]);
        await host.StartAsync();
        var events = host.Services.GetRequiredService<IDocumentStore>();
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        await events.AppendAsync(a, new OrderPlaced(a, "ann", 1m), new OrderNoted(a, "x"));
        await events.AppendAsync(b, new OrderPlaced(b, "bob", 2m), new OrderNoted(b, "y"));
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary"), c => c >= head, Timeout, "caught up");

        var pages = new List<RebuildProgress>();
        var seen = new Progress(pages);
        var replayed = await host.Services.GetRequiredService<ReplayService>()
            .ReplayAsync("order_summary", new ReplayFrom(Sequence: 1, Stream: a.ToString("D")), progress: seen, CancellationToken.None);

        var letters = await host.Services.GetRequiredService<EventSourcing.Projections.DeadLetters.DeadLetterService>().ListAsync(null, CancellationToken.None);
        await using var q = events.QuerySession();
        var all = await q.Events.QueryAllRawEvents().ToListAsync();
        Assert.True(replayed == 2, $"replayed {replayed}; dead letters: {string.Join("; ", letters.Select(l => l.Sequence + " " + l.Error))}; events: {string.Join(", ", all.Select(e => $"{e.Sequence}:{e.StreamId}:{e.EventTypeName}"))}; a={a}; pages {string.Join(", ", pages)}");
        var docs = await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, "order_summary");
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Assert.Equal(new OrderSummary(a, "ann", 1m, "placed", 2, "x"), JsonSerializer.Deserialize<OrderSummary>(docs[a.ToString("D")], web));
        Assert.Equal(2, JsonSerializer.Deserialize<OrderSummary>(docs[b.ToString("D")], web)!.Changes);
        await host.StopAsync();
    }

    private sealed class Progress(List<RebuildProgress> pages) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) => pages.Add(value);
    }
}
