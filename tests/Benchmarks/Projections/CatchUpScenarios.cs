using System.Diagnostics;
using EventSourcing.Benchmarks.Harness;
using EventSourcing.Projections.Rebuild;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Benchmarks.Projections;

/// <summary>
/// catch-up-pg: a fresh daemon catches up N events into the PostgreSQL sink (ours) vs Marten's own async
/// single-stream projection building the same document (baseline), over identical logs, same daemon mode.
/// rebuild: a zero-downtime rebuild pass over the same N events vs our catch-up rate.
/// </summary>
internal static class CatchUpScenarios
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var events = context.Size(100_000, 20_000);
        var oursSchema = await context.NewSchemaAsync("proj_ours", ct);
        var baseSchema = await context.NewSchemaAsync("proj_base", ct);
        var warmOurs = await context.NewSchemaAsync("proj_warm_ours", ct);
        var warmBase = await context.NewSchemaAsync("proj_warm_base", ct);
        var warmEvents = Math.Min(events, 10_000);
        foreach (var (schema, count) in new[] { (oursSchema, events), (baseSchema, events), (warmOurs, warmEvents), (warmBase, warmEvents) })
        {
            await using var store = DocumentStore.For(o => BenchHosts.Marten(o, context.ConnectionString, schema));
            await BenchLog.SeedAsync(store, count, ct);

            await context.AnalyzeEventLogAsync(schema, ct);
        }

        // Each side first catches up a small log of its own, so neither pays for compiling the daemon's code.
        await CatchUpAsync(context, BenchHosts.Baseline(context.ConnectionString, warmBase), warmBase, "BenchOrder", warmEvents, ct);
        await CatchUpAsync(context, BenchHosts.Ours(context.ConnectionString, warmOurs), warmOurs, "bench_orders", warmEvents, ct);

        BenchmarkContext.Progress($"seeded {events:N0} events twice, analyzed, both sides warmed up");

        var baseline = await CatchUpAsync(context, BenchHosts.Baseline(context.ConnectionString, baseSchema), baseSchema, "BenchOrder", events, ct);
        BenchmarkContext.Progress($"baseline catch-up {baseline:N0} events/s");
        using var ours = BenchHosts.Ours(context.ConnectionString, oursSchema);
        var oursRate = await CatchUpAsync(context, ours, oursSchema, "bench_orders", events, ct, stop: false);
        BenchmarkContext.Progress($"ours catch-up {oursRate:N0} events/s");

        var clock = Stopwatch.StartNew();
        await ours.Services.GetRequiredService<RebuildService>().RebuildAsync(["bench_orders"], null, ct);
        var rebuildRate = events / clock.Elapsed.TotalSeconds;
        BenchmarkContext.Progress($"rebuild {rebuildRate:N0} events/s");
        await ours.StopAsync(ct);

        return
        [
            new ScenarioResult("catch-up-pg", oursRate, baseline, "events/s", Better.Higher, 1.0),
            new ScenarioResult("rebuild", rebuildRate, oursRate, "events/s", Better.Higher, 1.0),
        ];
    }

    private static async Task<double> CatchUpAsync(
        BenchmarkContext context, IHost host, string schema, string shard, int events, CancellationToken ct, bool stop = true)
    {
        var clock = Stopwatch.StartNew();
        await host.StartAsync(ct);
        await BenchHosts.WaitForAsync(async () => await BenchHosts.ProgressAsync(context.DataSource, schema, shard, ct) >= events,
            Timeout, shard + " caught up", ct);
        var rate = events / clock.Elapsed.TotalSeconds;
        if (stop)
        {
            await host.StopAsync(ct);
            host.Dispose();
        }

        return rate;
    }
}
