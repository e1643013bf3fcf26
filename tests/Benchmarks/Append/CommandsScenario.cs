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
/// transactions from the same number of writers. Each writer works its own streams, round robin, about 7.5
/// commands per stream (the command state cache is on, as by default: a command on a stream this process just
/// handled skips the load, so the first command on each stream loads it and the later ones do not). Each side
/// first warms up for a fixed time on streams of its own, then the two alternate in rounds.
/// </summary>
internal static class CommandsScenario
{
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
            var perWriter = context.Size(writers == 1 ? 1200 : writers == 8 ? 600 : 150, writers == 1 ? 300 : writers == 8 ? 150 : 40);
            // About one command in 7.5 is the first on its stream and loads it (the rest find the cached state).
            var streamsPerWriter = Math.Max(2, perWriter * 2 / 15);

            // Warm-up on streams of its own, for a fixed time per side: the JIT has tiered both paths up before
            // either is measured, and the measured streams are still cold (their first command loads them).
            var streams = await SeedAsync(store, writers, streamsPerWriter, ct);
            var warmUp = await SeedAsync(store, writers, streamsPerWriter, ct);
            await WarmUpAsync(() => RunOursAsync(store, warmUp, 0, streamsPerWriter, ct), context.Quick);
            await WarmUpAsync(() => RunRawAsync(context.DataSource, table, writers, streamsPerWriter, ct), context.Quick);

            // Rounds of ours, raw, raw, ours, ...: drift on a noisy machine hits both sides alike.
            var rounds = context.Quick ? 2 : 4;
            var oursRuns = new List<Run>();
            var rawRuns = new List<Run>();
            for (var round = 0; round < rounds; round++)
            {
                var from = perWriter * round / rounds;
                var count = (perWriter * (round + 1) / rounds) - from;
                if (round % 2 == 0)
                {
                    oursRuns.Add(await RunOursAsync(store, streams, from, count, ct));
                    rawRuns.Add(await RunRawAsync(context.DataSource, table, writers, count, ct));
                }
                else
                {
                    rawRuns.Add(await RunRawAsync(context.DataSource, table, writers, count, ct));
                    oursRuns.Add(await RunOursAsync(store, streams, from, count, ct));
                }
            }

            var ours = Combine(oursRuns);
            var raw = Combine(rawRuns);
            var oursCpu = CpuPerCommand(oursRuns);
            var rawCpu = CpuPerCommand(rawRuns);
            BenchmarkContext.Progress($"commands-{writers}: ours {ours.Rate:N0}/s (p50 {ours.P50:0.0} ms, p99 {ours.P99:0.0} ms), raw {raw.Rate:N0}/s (p50 {raw.P50:0.0} ms, p99 {raw.P99:0.0} ms); CPU µs/command client+server: ours {oursCpu.Client:0}+{oursCpu.Server:0}, raw {rawCpu.Client:0}+{rawCpu.Server:0}");
            results.Add(new ScenarioResult($"commands-{writers}", ours.Rate, raw.Rate, "commands/s", Better.Higher, writers == 8 ? 0.5 : null,
            [
                new("ours p50/p99 ms", string.Create(CultureInfo.InvariantCulture, $"{ours.P50:0.0}/{ours.P99:0.0}")),
                new("raw p50/p99 ms", string.Create(CultureInfo.InvariantCulture, $"{raw.P50:0.0}/{raw.P99:0.0}")),
                new("commands", (writers * perWriter).ToString(CultureInfo.InvariantCulture)),
                new("streams", (writers * streamsPerWriter).ToString(CultureInfo.InvariantCulture)),
                new("CPU µs per command, client + server", string.Create(CultureInfo.InvariantCulture,
                    $"ours {oursCpu.Client:0} + {oursCpu.Server:0}, raw {rawCpu.Client:0} + {rawCpu.Server:0}")),
            ]));
        }

        return results;
    }

    private static async Task<Guid[][]> SeedAsync(MartenEventStore store, int writers, int streamsPerWriter, CancellationToken ct)
    {
        var streams = new Guid[writers][];
        for (var w = 0; w < writers; w++)
        {
            streams[w] = Enumerable.Range(0, streamsPerWriter).Select(_ => Guid.NewGuid()).ToArray();
            await store.AppendBatchAsync(
                streams[w].Select(id => new StreamAppend(id, Accounts.History(id, HistoryLength), ExpectedVersion.NoStream)).ToArray(), null, ct);
        }

        return streams;
    }

    private static async Task WarmUpAsync(Func<Task<Run>> pass, bool quick)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(quick ? 1 : 1.5))
            await pass();
    }

    private static (double Rate, double P50, double P99) Combine(List<Run> runs)
    {
        var all = runs.SelectMany(r => r.Latencies).ToArray();
        return (all.Length / runs.Sum(r => r.Seconds), Percentiles.Of(all, 50), Percentiles.Of(all, 99));
    }

    /// <summary>One timed run: wall seconds, per-command latencies, and the CPU seconds this process and the whole machine used.</summary>
    private sealed record Run(double Seconds, IReadOnlyCollection<double> Latencies, double ProcessCpu, double MachineCpu);

    /// <summary>CPU seconds used so far by this process and, on Linux, by the whole machine (from /proc/stat).</summary>
    private static (double Process, double Machine) CpuNow()
    {
        var process = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        double machine = double.NaN;
        if (File.Exists("/proc/stat"))
        {
            // cpu  user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait, in clock ticks (USER_HZ = 100)
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            machine = (fields.Sum() - fields[3] - fields[4]) / 100.0;
        }

        return (process, machine);
    }

    private static Run Finish(Stopwatch clock, ConcurrentBag<double> latencies, (double Process, double Machine) cpuAtStart)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = CpuNow();
        return new Run(seconds, latencies.ToArray(), cpu.Process - cpuAtStart.Process, cpu.Machine - cpuAtStart.Machine);
    }

    /// <summary>Microseconds of CPU per command, in this process (the client) and in the rest of the machine (PostgreSQL).</summary>
    private static (double Client, double Server) CpuPerCommand(List<Run> runs)
    {
        var commands = runs.Sum(r => r.Latencies.Count);
        var client = runs.Sum(r => r.ProcessCpu);
        return (client / commands * 1e6, (runs.Sum(r => r.MachineCpu) - client) / commands * 1e6);
    }

    /// <summary>Commands <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> of each writer, round robin over its streams.</summary>
    private static async Task<Run> RunOursAsync(MartenEventStore store, Guid[][] streams, int from, int count, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<double>();
        var cpu = CpuNow();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(streams.Select(mine => Task.Run(async () =>
        {
            for (var i = from; i < from + count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await store.HandleAsync(Accounts.Decider, mine[i % mine.Length], new Deposit(i + 1, "cmd-" + i), null, ct);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }, ct)));
        return Finish(clock, latencies, cpu);
    }

    private static async Task<Run> RunRawAsync(NpgsqlDataSource dataSource, string table, int writers, int perWriter, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<double>();
        var cpu = CpuNow();
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
        return Finish(clock, latencies, cpu);
    }
}
