using System.Diagnostics;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Xunit.Abstractions;

namespace EventSourcing.Projections.Tests.Crash;

/// <summary>
/// A daemon host process is killed (SIGKILL, no graceful shutdown) at random points of a 20,000-event
/// catch-up, five times; after the last restart the read model equals a from-scratch rebuild.
/// </summary>
public sealed class CrashSafetyTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task a_host_killed_five_times_during_catch_up_converges_to_a_from_scratch_rebuild()
    {
        var schema = postgres.NewSchemaName();
        await using (var store = TestEventLog.Store(postgres.ConnectionString, schema))
            await TestEventLog.SeedOrdersAsync(store, orders: 2_000);
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        Assert.Equal(20_000, head);

        var random = new Random(20_000);
        for (var kill = 1; kill <= 5; kill++)
        {
            var before = await TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary");
            var killAt = before + random.Next(1, (int)Math.Max(2, (head - before) / 3));
            using var daemon = StartDaemon(schema, "order_summary");
            await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary"),
                c => c >= killAt || c >= head, Timeout, $"checkpoint {killAt} before kill {kill}");
            daemon.Kill(entireProcessTree: true);
            await daemon.WaitForExitAsync();
            var at = await TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary");
            output.WriteLine($"kill {kill}: checkpoint {before} -> {at} (aimed at {killAt})");
        }

        using (var last = StartDaemon(schema, "order_summary", "order_summary_rebuilt"))
        {
            await Eventually.Until(async () =>
                    Math.Min(await TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary"),
                        await TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary_rebuilt")),
                c => c >= head, Timeout, "both read models caught up");
            last.Kill(entireProcessTree: true);
            await last.WaitForExitAsync();
        }

        var survived = await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, "order_summary");
        var rebuilt = await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, "order_summary_rebuilt");
        Assert.Equal(1_800, rebuilt.Count);
        Assert.Equal(rebuilt, survived);
    }

    private Process StartDaemon(string schema, params string[] projections) =>
        DaemonProcess.Start("daemon", postgres.ConnectionString, schema, projections);
}
