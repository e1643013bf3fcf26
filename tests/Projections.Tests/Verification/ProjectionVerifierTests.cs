using EventSourcing.Projections.Rebuild;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.Projections.Verification;
using EventSourcing.TestInfrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Projections.Tests.Verification;

/// <summary>
/// The verifier on the PostgreSQL sink, against a real daemon: a caught-up read model is equal to a fresh fold of the
/// log, tampered documents are reported by kind and field, and a verify raced by writers, the running daemon and a
/// zero-downtime rebuild with its swap reports no false difference.
/// </summary>
public sealed class ProjectionVerifierTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private async Task<(string Schema, IHost Daemon, IReadOnlyList<Guid> Orders)> StartCaughtUpAsync()
    {
        var schema = postgres.NewSchemaName();
        var daemon = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection(brokenOnNote: "boom")]);
        await daemon.StartAsync();
        var store = daemon.Services.GetRequiredService<IDocumentStore>();
        var orders = await TestEventLog.SeedOrdersAsync(store, orders: 20);
        await store.AppendAsync(orders[1], new OrderNoted(orders[1], "boom"));
        await CaughtUpAsync(schema);
        return (schema, daemon, orders);
    }

    private async Task CaughtUpAsync(string schema)
    {
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary"), c => c >= head, Timeout, "the daemon to catch up");
    }

    private static Task<VerificationReport> VerifyAsync(IHost host, int show = 10, int pageSize = 7) =>
        ActivatorUtilities.CreateInstance<ProjectionVerifier>(host.Services).VerifyAsync("order_summary", show, pageSize, null, CancellationToken.None);

    private async Task ExecuteAsync(string sql)
    {
        await using var command = postgres.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task a_caught_up_read_model_equals_a_fresh_fold_and_the_poison_event_is_left_out_as_the_daemon_did()
    {
        var (schema, daemon, _) = await StartCaughtUpAsync();
        using var _ = daemon;
        await daemon.StopAsync();

        var report = await VerifyAsync(daemon);

        Assert.True(report.Equal, string.Join("\n", report.Differences));
        Assert.Equal(18, report.Compared); // 20 orders, 2 purged
        Assert.Equal((0, 0, 0), (report.Missing, report.Extra, report.Different));
        Assert.Equal(await TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary"), report.Checkpoint);
        Assert.Equal(1, report.EventsFailed);
        Assert.Equal(1, report.DeadLetters);
        Assert.Equal(20 * 9, report.EventsFolded); // each order: placed, 6 notes, shipped, a final note or purge (the audit is not handled)
        Assert.Empty(report.Differences);
    }

    [Fact]
    public async Task tampered_documents_are_reported_as_missing_extra_and_different_with_the_field_that_differs()
    {
        var (schema, daemon, orders) = await StartCaughtUpAsync();
        using var _ = daemon;
        await daemon.StopAsync();
        var table = $"{schema}.rm_order_summary_v1";
        var (changed, removed, older) = (orders[2].ToString("D"), orders[3].ToString("D"), orders[4].ToString("D"));
        await ExecuteAsync($"update {table} set data = jsonb_set(data, '{{status}}', '\"lost\"') where key = '{changed}'");
        await ExecuteAsync($"delete from {table} where key = '{removed}'");
        await ExecuteAsync($"insert into {table} (key, data, version) values ('stray', '{{\"id\":\"{Guid.Empty}\",\"customer\":\"nobody\"}}', 5)");
        await ExecuteAsync($"update {table} set version = version - 1 where key = '{older}'");

        var report = await VerifyAsync(daemon);

        Assert.False(report.Equal);
        Assert.Equal((19L, 1L, 1L, 2L), (report.Compared, report.Missing, report.Extra, report.Different));
        var byKey = report.Differences.ToDictionary(d => d.Key);
        Assert.Equal(("different", "status", "\"shipped by carrier-2\"", "\"lost\""), (byKey[changed].Kind, byKey[changed].Field, byKey[changed].Expected, byKey[changed].Actual));
        Assert.Equal("missing", byKey[removed].Kind);
        Assert.Contains("customer-3", byKey[removed].Expected, StringComparison.Ordinal);
        Assert.Equal(("extra", 5L), (byKey["stray"].Kind, byKey["stray"].ActualVersion));
        Assert.Equal(("different", "version"), (byKey[older].Kind, byKey[older].Field));
        Assert.Equal(byKey[older].ExpectedVersion - 1, byKey[older].ActualVersion);

        var first = await VerifyAsync(daemon, show: 1);
        Assert.Equal(4, first.Missing + first.Extra + first.Different);
        Assert.Single(first.Differences);
    }

    [Fact]
    public async Task a_verify_raced_by_writers_the_running_daemon_and_a_rebuild_swap_reports_no_false_difference()
    {
        var (schema, daemon, orders) = await StartCaughtUpAsync();
        using var _ = daemon;
        var store = daemon.Services.GetRequiredService<IDocumentStore>();
        using var stop = new CancellationTokenSource();
        long appended = 0;
        var writer = Task.Run(async () =>
        {
            var created = new List<Guid>();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = Guid.NewGuid();
                await store.AppendAsync(id, new OrderPlaced(id, "racer-" + i, i), new OrderNoted(id, "first"));
                created.Add(id);
                if (i % 3 == 0)
                    await store.AppendAsync(orders[1 + (i % 9)], new OrderNoted(orders[1 + (i % 9)], "more " + i));
                if (i % 4 == 0 && created.Count > 1)
                {
                    // purge an order the writer never touches again
                    await store.AppendAsync(created[0], new OrderPurged(created[0]));
                    created.RemoveAt(0);
                }

                Interlocked.Increment(ref appended);
            }
        }, CancellationToken.None);

        var reports = new List<VerificationReport>();
        Task? rebuild = null;
        try
        {
            for (var run = 0; run < 6; run++)
            {
                // each verify starts from a later checkpoint: the writer appended and the daemon applied since the last one
                var previous = reports.Count == 0 ? 0 : reports[^1].Checkpoint;
                await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary"), c => c > previous, Timeout, "the daemon to move past the last verify's checkpoint");
                reports.Add(await VerifyAsync(daemon, pageSize: 5));
                if (run == 1)
                {
                    // and a zero-downtime rebuild builds version 2 and the daemon swaps it in while the later verifies run
                    var service = daemon.Services.GetRequiredService<RebuildService>();
                    rebuild = Task.Run(async () =>
                    {
                        foreach (var result in await service.RebuildAsync(["order_summary"], null, CancellationToken.None))
                            await service.WaitForSwapAsync(result, CancellationToken.None);
                    }, CancellationToken.None);
                }
            }

            await rebuild!;
            reports.Add(await VerifyAsync(daemon, pageSize: 5));
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }

        Assert.All(reports, r => Assert.True(r.Equal, $"checkpoint {r.Checkpoint}: {r.Missing} missing, {r.Extra} extra, {r.Different} different: " + string.Join("; ", r.Differences)));
        Assert.True(Interlocked.Read(ref appended) >= 5, $"the writer appended only {appended} times");
        Assert.Equal(1, reports[0].LiveVersion);
        Assert.Equal(2, reports[^1].LiveVersion);
        // every seeded document is either compared or, changed by the writer after that verify's checkpoint, left out
        Assert.All(reports, r => Assert.True(r.Compared + r.ChangedSinceCheckpoint >= 18, $"compared {r.Compared}, changed {r.ChangedSinceCheckpoint}"));
        await CaughtUpAsync(schema);
        await daemon.StopAsync(CancellationToken.None);
        Assert.True((await VerifyAsync(daemon)).Equal);
    }
}
