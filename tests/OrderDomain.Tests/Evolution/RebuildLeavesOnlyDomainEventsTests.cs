using System.Diagnostics;
using EventSourcing.EventStore;
using EventSourcing.EventStore.Reading;
using EventSourcing.OrderDomain.Tests.Http;
using EventSourcing.Projections.Rebuild;
using EventSourcing.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcing.OrderDomain.Tests.Evolution;

/// <summary>A rebuild coordinates outside the event log: every public reader of the whole log still sees domain events only.</summary>
public sealed class RebuildLeavesOnlyDomainEventsTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task after_a_rebuild_read_all_and_schema_tools_sample_events_read_the_whole_log_without_an_unknown_type()
    {
        for (var i = 0; i < 12; i++)
            await api.Client.PlaceAsync(Api.NewOrder(Guid.NewGuid(), customer: "cust-" + (i % 3)));
        var rebuilds = api.Services.GetRequiredService<RebuildService>();
        foreach (var result in await rebuilds.RebuildAsync(["order_search", "customer_orders"], progress: null, CancellationToken.None))
            await rebuilds.WaitForSwapAsync(result, CancellationToken.None).WaitAsync(Timeout);

        var store = api.Services.GetRequiredService<IEventStore>();
        var read = new List<EventEnvelope>();
        for (IReadOnlyList<EventEnvelope> page; (page = await store.ReadAllAsync(read.LastOrDefault()?.GlobalSequence ?? 0, 100, CancellationToken.None)).Count > 0;)
            read.AddRange(page);
        Assert.Equal(await CountEventsAsync(), read.Count);
        Assert.All(read, e => Assert.StartsWith("order.", e.TypeName, StringComparison.Ordinal));

        var (exit, output) = await SchemaToolsAsync("check",
            "--assembly", Path.Combine(RepositoryRoot.Path, "sample/OrderDomain/bin/Release/net10.0/OrderDomain.dll"),
            "--event-types", "OrderDomain.Orders.OrderEventTypes.Registry",
            "--catalog", Path.Combine(RepositoryRoot.Path, "schemas"),
            "--sample-events", api.Postgres.ConnectionString, "--events-schema", api.EventSchema);
        Assert.True(exit == 0, $"schema-tools check --sample-events exited {exit}:\n{output}");
    }

    private async Task<long> CountEventsAsync()
    {
        await using var command = api.Postgres.DataSource.CreateCommand($"select count(*) from {api.EventSchema}.mt_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(int Exit, string Output)> SchemaToolsAsync(params string[] arguments)
    {
        var tool = Path.Combine(RepositoryRoot.Path, "src/SchemaTools/bin/Release/net10.0/schema-tools.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(tool);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Timeout);
        return (process.ExitCode, await stdout + await stderr);
    }
}
