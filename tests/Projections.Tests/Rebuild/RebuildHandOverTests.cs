using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Rebuild;
using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Status;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Marten;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Projections.Tests.Rebuild;

/// <summary>The hand-over from a rebuilt version to the live one, attacked where it used to lose events.</summary>
public sealed class RebuildHandOverTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task an_event_whose_transaction_commits_after_later_ones_during_a_rebuild_is_in_the_swapped_version()
    {
        var schema = postgres.NewSchemaName();
        // the daemon waits for the open transaction instead of skipping its sequence after the default 3 s
        using var host = DaemonHost.Build(postgres.ConnectionString, schema,
            [new OrderSummaryProjection(), new OrderSummaryProjection("order_summary_check")], options: o => o with { RetireAfter = TimeSpan.Zero },
            marten: m => m.Projections.StaleSequenceThreshold = TimeSpan.FromMinutes(5));
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await TestEventLog.SeedOrdersAsync(store, orders: 300);
        await CaughtUpAsync(schema, "order_summary", "order_summary_check");

        // a slow writer takes the next sequence and holds its transaction open while later writers commit
        var slow = Guid.NewGuid();
        await using var connection = await postgres.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var session = store.LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            session.Events.StartStream(slow, new OrderPlaced(slow, "slow-customer", 7), new OrderShipped(slow, "slow-carrier"));
            await session.SaveChangesAsync();
        }

        await TestEventLog.SeedOrdersAsync(store, orders: 20);
        var rebuilds = host.Services.GetRequiredService<RebuildService>();
        var result = Assert.Single(await rebuilds.RebuildAsync(["order_summary"], progress: null, CancellationToken.None));
        var status = host.Services.GetRequiredService<StatusService>();
        var waiting = Assert.Single(await status.GetAsync("order_summary", CancellationToken.None));
        Assert.Equal(("swap-pending", 2, 1), (waiting.State, waiting.PendingVersion, waiting.LiveVersion));
        await transaction.CommitAsync();
        await rebuilds.WaitForSwapAsync(result, CancellationToken.None).WaitAsync(Timeout);
        var swapped = Assert.Single(await status.GetAsync("order_summary", CancellationToken.None));
        Assert.Equal(("running", null, 2, 2, 0), (swapped.State, swapped.PendingVersion, swapped.LiveVersion, swapped.LastSwap?.Version, swapped.LastSwap?.DeadLetters));

        await CaughtUpAsync(schema, "order_summary", "order_summary_check");
        Assert.Equal(2, await host.Services.GetRequiredService<IReadModelSink>().LiveVersionAsync("order_summary", CancellationToken.None));
        var rebuilt = await ReadModelReader.ReadViewWithVersionsAsync(postgres.DataSource, schema, "order_summary");
        Assert.Contains(slow.ToString("D"), rebuilt.Keys);
        Assert.Equal(await ReadModelReader.ReadViewWithVersionsAsync(postgres.DataSource, schema, "order_summary_check"), rebuilt);
        await AssertNoDeadLettersAsync(host);
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task a_rebuild_of_an_idle_log_is_swapped_in_without_another_event_and_appends_nothing_to_the_log()
    {
        var schema = postgres.NewSchemaName();
        using var host = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection()], options: o => o with { RetireAfter = TimeSpan.Zero });
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await TestEventLog.SeedOrdersAsync(store, orders: 100);
        await CaughtUpAsync(schema, "order_summary");
        var before = await ReadModelReader.ReadViewWithVersionsAsync(postgres.DataSource, schema, "order_summary");
        var events = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);

        var rebuilds = host.Services.GetRequiredService<RebuildService>();
        var result = Assert.Single(await rebuilds.RebuildAsync(["order_summary"], progress: null, CancellationToken.None));
        await rebuilds.WaitForSwapAsync(result, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(2, await host.Services.GetRequiredService<IReadModelSink>().LiveVersionAsync("order_summary", CancellationToken.None));
        Assert.Equal(events, await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema));
        Assert.Equal(before, await ReadModelReader.ReadViewWithVersionsAsync(postgres.DataSource, schema, "order_summary"));
        var state = await host.Services.GetRequiredService<ProjectionStore>().GetStateAsync("order_summary", CancellationToken.None);
        Assert.Null(state.PendingSwap);
        Assert.Equal(2, state.LastSwap?.Version);
        Assert.Equal(0, state.LastSwap?.DeadLetters);
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task rebuilds_raced_by_concurrent_writers_always_swap_in_a_copy_equal_to_a_from_scratch_build()
    {
        var schema = postgres.NewSchemaName();
        using var host = DaemonHost.Build(postgres.ConnectionString, schema,
            [new OrderSummaryProjection(), new OrderSummaryProjection("order_summary_check")], options: o => o with { RetireAfter = TimeSpan.Zero });
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await TestEventLog.SeedOrdersAsync(store, orders: 200);

        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                await TestEventLog.SeedOrdersAsync(store, orders: 3);
        }, CancellationToken.None)).ToList();

        var rebuilds = host.Services.GetRequiredService<RebuildService>();
        for (var round = 0; round < 3; round++)
        {
            var result = Assert.Single(await rebuilds.RebuildAsync(["order_summary"], progress: null, CancellationToken.None));
            await rebuilds.WaitForSwapAsync(result, CancellationToken.None).WaitAsync(Timeout, stop.Token);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);
        await CaughtUpAsync(schema, "order_summary", "order_summary_check");
        Assert.Equal(4, await host.Services.GetRequiredService<IReadModelSink>().LiveVersionAsync("order_summary", CancellationToken.None));
        Assert.Equal(await ReadModelReader.ReadViewWithVersionsAsync(postgres.DataSource, schema, "order_summary_check"),
            await ReadModelReader.ReadViewWithVersionsAsync(postgres.DataSource, schema, "order_summary"));
        await AssertNoDeadLettersAsync(host);
        await host.StopAsync(CancellationToken.None);
    }

    private async Task CaughtUpAsync(string schema, params string[] projections)
    {
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        foreach (var name in projections)
            await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, name), c => c >= head, Timeout, $"{name} caught up to #{head}");
    }

    private static async Task AssertNoDeadLettersAsync(IHost host) =>
        Assert.Empty(await host.Services.GetRequiredService<ProjectionStore>().ListDeadLettersAsync(null, CancellationToken.None));
}
