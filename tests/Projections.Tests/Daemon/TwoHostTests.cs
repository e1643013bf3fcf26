using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks.Postgres;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Projections.Tests.Daemon;

public sealed class TwoHostTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task with_two_hosts_each_shard_is_processed_by_exactly_one_host_at_a_time_and_the_other_takes_over()
    {
        var schema = postgres.NewSchemaName();
        var tracker = new ShardTracker();
        string[] names = ["orders_a", "orders_b"];
        IHost Start(string name) => DaemonHost.Build(postgres.ConnectionString, schema, names.Select(n => new OrderSummaryProjection(n)),
            sp => new TrackingSink(new PostgresSink(sp.GetRequiredService<ProjectionsDataSource>().DataSource, new PostgresSinkOptions(schema)), tracker, name));
        await using var store = TestEventLog.Store(postgres.ConnectionString, schema);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        using var one = Start("one");
        using var two = Start("two");
        await one.StartAsync();
        await two.StartAsync();

        await TestEventLog.SeedOrdersAsync(store, orders: 100);
        await CaughtUpAsync(schema, names);
        await one.StopAsync();
        tracker.BatchesByHost.Clear();
        await TestEventLog.SeedOrdersAsync(store, orders: 100);
        await CaughtUpAsync(schema, names);

        Assert.Equal(1, tracker.MaxConcurrent);
        Assert.Equal(["two"], tracker.BatchesByHost.Keys);
        Assert.Equal(names, tracker.BatchesByHost["two"].Keys.Order());
        foreach (var name in names)
            Assert.Equal(180, (await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, name)).Count);
        await two.StopAsync();
    }

    private async Task CaughtUpAsync(string schema, string[] names)
    {
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        foreach (var name in names)
            await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, name), c => c >= head, Timeout, $"{name} at {head}");
    }
}
