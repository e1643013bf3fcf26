using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using EventSourcing.Benchmarks.Harness;
using EventSourcing.EventStore;
using EventSourcing.EventStore.Concurrency;
using Npgsql;

namespace EventSourcing.Benchmarks.Append;

/// <summary>
/// Load, decide, append (<see cref="IEventStore.HandleAsync{TState,TCommand}"/>) on different existing streams
/// from 1, 8 and 32 concurrent writers, commands/s with p50/p99 latency, vs raw Npgsql single-row insert
/// transactions from the same number of writers. Each writer works its own 20 streams (the command state
/// cache is on, as by default: a command on a stream this process just handled skips the load).
/// </summary>
internal static class CommandsScenario
{
    private const int StreamsPerWriter = 20;
    private const int HistoryLength = 5;

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var schema = await context.NewSchemaAsync("commands", ct);
        await using var store = MartenEventStore.Create(Accounts.Options(context.ConnectionString, schema));
        await store.EnsureSchemaAsync(ct);
        var table = schema + ".raw_events";
        await using (var create = context.DataSource.CreateCommand(
            $"create table {table} (seq bigserial primary key, stream_id uuid not null, version bigint not null, type text not null, data jsonb not null, created_at timestamptz not null default now(), unique (stream_id, version))"))
            await create.ExecuteNonQueryAsync(ct);

        var results = new List<ScenarioResult>();
        foreach (var writers in new[] { 1, 8, 32 })
        {
            var perWriter = context.Size(writers == 1 ? 400 : writers == 8 ? 150 : 50, writers == 1 ? 40 : writers == 8 ? 20 : 6);
            var streams = await SeedAsync(store, writers, ct);
            await RunOursAsync(store, streams, Math.Min(5, perWriter), ct); // warm-up
            await RunRawAsync(context.DataSource, table, writers, Math.Min(5, perWriter), ct);

            // ours, raw, raw, ours: drift on a noisy machine hits both sides alike
            var half = perWriter / 2;
            var ours1 = await RunOursAsync(store, streams, half, ct);
            var raw1 = await RunRawAsync(context.DataSource, table, writers, half, ct);
            var raw2 = await RunRawAsync(context.DataSource, table, writers, perWriter - half, ct);
            var ours2 = await RunOursAsync(store, streams, perWriter - half, ct);
            var ours = Combine(ours1, ours2);
            var raw = Combine(raw1, raw2);
            BenchmarkContext.Progress($"commands-{writers}: ours {ours.Rate:N0}/s (p50 {ours.P50:0.0} ms, p99 {ours.P99:0.0} ms), raw {raw.Rate:N0}/s (p50 {raw.P50:0.0} ms, p99 {raw.P99:0.0} ms)");
            results.Add(new ScenarioResult($"commands-{writers}", ours.Rate, raw.Rate, "commands/s", Better.Higher, writers == 8 ? 0.5 : null,
            [
                new("ours p50/p99 ms", string.Create(CultureInfo.InvariantCulture, $"{ours.P50:0.0}/{ours.P99:0.0}")),
                new("raw p50/p99 ms", string.Create(CultureInfo.InvariantCulture, $"{raw.P50:0.0}/{raw.P99:0.0}")),
                new("commands", (writers * perWriter).ToString(CultureInfo.InvariantCulture)),
            ]));
        }

        return results;
    }

    private static async Task<Guid[][]> SeedAsync(MartenEventStore store, int writers, CancellationToken ct)
    {
        var streams = new Guid[writers][];
        for (var w = 0; w < writers; w++)
        {
            streams[w] = Enumerable.Range(0, StreamsPerWriter).Select(_ => Guid.NewGuid()).ToArray();
            await store.AppendBatchAsync(
                streams[w].Select(id => new StreamAppend(id, Accounts.History(id, HistoryLength), ExpectedVersion.NoStream)).ToArray(), null, ct);
        }

        return streams;
    }

    private static (double Rate, double P50, double P99) Combine(Run a, Run b)
    {
        var all = a.Latencies.Concat(b.Latencies).ToArray();
        return (all.Length / (a.Seconds + b.Seconds), Percentiles.Of(all, 50), Percentiles.Of(all, 99));
    }

    private sealed record Run(double Seconds, IReadOnlyCollection<double> Latencies);

    private static async Task<Run> RunOursAsync(MartenEventStore store, Guid[][] streams, int perWriter, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(streams.Select(mine => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await store.HandleAsync(Accounts.Decider, mine[i % mine.Length], new Deposit(i + 1, "cmd-" + i), null, ct);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }, ct)));
        return new Run(clock.Elapsed.TotalSeconds, latencies.ToArray());
    }

    private static async Task<Run> RunRawAsync(NpgsqlDataSource dataSource, string table, int writers, int perWriter, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            var stream = Guid.NewGuid();
            for (var i = 0; i < perWriter; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await using var command = dataSource.CreateCommand($"insert into {table} (stream_id, version, type, data) values ($1, $2, 'bench.deposited', $3::jsonb)");
                command.Parameters.AddWithValue(stream);
                command.Parameters.AddWithValue((long)i + 1);
                command.Parameters.AddWithValue($$"""{"amount":{{i + 1}},"reference":"cmd-{{i}}"}""");
                await command.ExecuteNonQueryAsync(ct);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }, ct)));
        return new Run(clock.Elapsed.TotalSeconds, latencies.ToArray());
    }
}
