using System.Collections.Concurrent;
using System.Diagnostics;
using EventSourcing.Benchmarks.Harness;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Benchmarks.Projections;

/// <summary>
/// freshness-p99: at a steady 200 commands/s (each appends one event creating an order), the p99 time from
/// the append's commit to the document being visible to a reader: ours (PostgreSQL sink view) vs Marten's
/// own async projection (its document table), same daemon, same poller.
/// </summary>
internal static class FreshnessScenario
{
    private const int CommandsPerSecond = 200;

    public static async Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var commands = context.Size(3_000, 1_000);
        var oursSchema = await context.NewSchemaAsync("fresh_ours", ct);
        var baseSchema = await context.NewSchemaAsync("fresh_base", ct);
        var baseline = await MeasureAsync(context, BenchHosts.Baseline(context.ConnectionString, baseSchema), $"{baseSchema}.mt_doc_benchorder", "id::text", commands, ct);
        BenchmarkContext.Progress($"baseline freshness p99 {baseline.P99:0} ms");
        var ours = await MeasureAsync(context, BenchHosts.Ours(context.ConnectionString, oursSchema, batchSize: 100), $"{oursSchema}.rm_bench_orders", "key", commands, ct);
        BenchmarkContext.Progress($"ours freshness p99 {ours.P99:0} ms");
        return new ScenarioResult("freshness-p99", ours.P99, baseline.P99, "ms", Better.Lower, 1.2,
        [
            new("ours p50", $"{ours.P50:0} ms"), new("baseline p50", $"{baseline.P50:0} ms"), new("commands", $"{commands:N0} at {CommandsPerSecond}/s"),
        ]);
    }

    private static async Task<(double P50, double P99)> MeasureAsync(
        BenchmarkContext context, IHost host, string relation, string keyColumn, int commands, CancellationToken ct)
    {
        using var _ = host;
        await host.StartAsync(ct);
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var pending = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<double>();
        using var stop = new CancellationTokenSource();
        var poller = Task.Run(() => PollAsync(context, relation, keyColumn, pending, latencies, stop.Token), ct);

        var interval = TimeSpan.FromSeconds(1.0 / CommandsPerSecond);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < commands; i++)
        {
            var due = interval * i;
            if (clock.Elapsed < due)
                await Task.Delay(due - clock.Elapsed, ct);
            var id = Guid.NewGuid();
            await using var session = store.LightweightSession();
            session.Events.StartStream(id, new BenchOrderPlaced(id, "c", i));
            await session.SaveChangesAsync(ct);
            pending[id.ToString("D")] = Stopwatch.GetTimestamp();
        }

        await BenchHosts.WaitForAsync(() => Task.FromResult(latencies.Count >= commands), TimeSpan.FromMinutes(2), "all documents visible", ct);
        await stop.CancelAsync();
        await poller.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        await host.StopAsync(ct);
        return (Percentiles.Of(latencies.ToList(), 50), Percentiles.Of(latencies.ToList(), 99));
    }

    private static async Task PollAsync(
        BenchmarkContext context, string relation, string keyColumn, ConcurrentDictionary<string, long> pending, ConcurrentBag<double> latencies, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var keys = pending.Keys.ToArray();
            if (keys.Length > 0)
            {
                try
                {
                    await using var command = context.DataSource.CreateCommand($"select {keyColumn} from {relation} where {keyColumn} = any($1)");
                    command.Parameters.AddWithValue(keys);
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                    {
                        if (pending.TryRemove(reader.GetString(0), out var at))
                            latencies.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
                    }
                }
                catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
                {
                    // the document table is created on the daemon's first write
                }
            }

            await Task.Delay(5, ct);
        }
    }
}
