using EventSourcing.Projections.Rebuild;
using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Projections.Tests.Rebuild;

public sealed class RebuildTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task a_rebuild_while_writes_continue_keeps_reads_working_and_swaps_to_a_copy_equal_to_a_from_scratch_build()
    {
        var schema = postgres.NewSchemaName();
        using var host = DaemonHost.Build(postgres.ConnectionString, schema,
            [new OrderSummaryProjection(), new OrderSummaryProjection("order_summary_check")], options: o => o with { RetireAfter = TimeSpan.Zero });
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await TestEventLog.SeedOrdersAsync(store, orders: 300);
        await Eventually.Until(async () => (await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, "order_summary")).Count > 0, Timeout, "the first documents");
        // the rebuild pass reads up to the daemon's high-water mark: let the mark pass the seeded events first
        await Eventually.Until(() => HighWaterMarkAsync(schema), m => m >= 3_000, Timeout, "the high-water mark past the seeded events");

        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await TestEventLog.SeedOrdersAsync(store, orders: 5);
                Interlocked.Increment(ref writes);
            }
        }, CancellationToken.None);
        var reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Assert.NotEmpty(await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, "order_summary"));
                Interlocked.Increment(ref reads);
            }
        }, CancellationToken.None);
        await Eventually.Until(() => Task.FromResult(Volatile.Read(ref reads) > 0 || reader.IsFaulted), Timeout, "the first read");

        var rebuilds = host.Services.GetRequiredService<RebuildService>();
        var result = Assert.Single(await rebuilds.RebuildAsync(["order_summary"], progress: null, CancellationToken.None));
        Assert.True(result.BuiltThrough >= 3_000, $"the rebuild pass stopped at #{result.BuiltThrough}, before the 3,000 seeded events");
        await rebuilds.WaitForSwapAsync(result, CancellationToken.None);
        var writesAtSwap = Volatile.Read(ref writes);
        await Eventually.Until(() => Task.FromResult(Volatile.Read(ref writes) > writesAtSwap + 2), Timeout, "writes after the swap");
        await stop.CancelAsync();
        await Task.WhenAll(writer, reader);

        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        foreach (var name in new[] { "order_summary", "order_summary_check" })
            await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, name), c => c >= head, Timeout, $"{name} caught up");
        Assert.Equal(2, result.Version);
        Assert.Equal(2, await host.Services.GetRequiredService<IReadModelSink>().LiveVersionAsync("order_summary", CancellationToken.None));
        var rebuilt = await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, "order_summary");
        var fromScratch = await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, "order_summary_check");
        Assert.True(rebuilt.Count > 270, $"only {rebuilt.Count} documents");
        Assert.Equal(fromScratch, rebuilt);
        await Eventually.Until(async () => !await TableExistsAsync(schema, "rm_order_summary_v1"), Timeout, "version 1 retired");
        await host.StopAsync(CancellationToken.None);
    }

    private async Task<long> HighWaterMarkAsync(string schema)
    {
        await using var command = postgres.DataSource.CreateCommand($"select coalesce(max(last_seq_id), 0) from {schema}.mt_event_progression where name = 'HighWaterMark'");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<bool> TableExistsAsync(string schema, string table)
    {
        await using var command = postgres.DataSource.CreateCommand("select to_regclass($1) is not null");
        command.Parameters.AddWithValue($"{schema}.{table}");
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
