using System.Diagnostics;
using System.Globalization;
using EventSourcing.Benchmarks.Harness;
using EventSourcing.EventStore;
using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Snapshots;

namespace EventSourcing.Benchmarks.Append;

/// <summary>
/// Milliseconds (median) to load a 10,000-event stream that has a snapshot (ours) vs a 10-event stream
/// without one (baseline); also the 10,000-event stream without a snapshot.
/// </summary>
internal static class SnapshotLoadScenario
{
    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var schema = await context.NewSchemaAsync("snapload", ct);
        var options = Accounts.Options(context.ConnectionString, schema);
        options.Snapshots.For("account", SnapshotPolicy.Every(1_000));
        await using var store = MartenEventStore.Create(options);
        await store.EnsureSchemaAsync(ct);
        var plain = Accounts.Decider with { Name = "account-no-snapshots" };

        var longStream = Guid.NewGuid();
        var history = Accounts.History(longStream, 10_000);
        for (var done = 0; done < history.Length; done += 2_000)
            await store.AppendAsync(longStream, history[done..(done + 2_000)], done == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(done), null, ct);
        var shortStream = Guid.NewGuid();
        await store.AppendAsync(shortStream, Accounts.History(shortStream, 10), ExpectedVersion.NoStream, null, ct);

        await store.LoadAsync(Accounts.Decider, longStream, ct); // takes the snapshot in the background
        await store.FlushSnapshotsAsync(TimeSpan.FromSeconds(30), ct);
        var check = await store.LoadAsync(Accounts.Decider, longStream, ct);
        if (check.EventsRead != 0 || check.Version != 10_000)
            throw new InvalidOperationException($"snapshot not in place: read {check.EventsRead} events, version {check.Version}");

        var samples = context.Size(60, 12);
        var fullSamples = context.Size(10, 3);
        var (withSnapshot, tenEvents) = await MediansAsync(
            () => store.LoadAsync(Accounts.Decider, longStream, ct), () => store.LoadAsync(plain, shortStream, ct), samples);
        var (withoutSnapshot, tenEventsBesideFull) = await MediansAsync(
            () => store.LoadAsync(plain, longStream, ct), () => store.LoadAsync(plain, shortStream, ct), fullSamples);

        // the same load in a process that has not seen the snapshot row yet: read it from the table every time
        var coldOptions = Accounts.Options(context.ConnectionString, schema);
        coldOptions.Snapshots.For("account", SnapshotPolicy.Every(1_000));
        coldOptions.Snapshots.CacheSize = 0;
        await using var cold = MartenEventStore.Create(coldOptions);
        var (withColdSnapshot, tenEventsBesideCold) = await MediansAsync(
            () => cold.LoadAsync(Accounts.Decider, longStream, ct), () => store.LoadAsync(plain, shortStream, ct), samples);

        BenchmarkContext.Progress($"snapshot-load: 10k with snapshot {withSnapshot:0.00} ms (row read from the table each time: {withColdSnapshot:0.00} ms), 10 events {tenEvents:0.00} ms, 10k without snapshot {withoutSnapshot:0.0} ms");
        return
        [
            new ScenarioResult("snapshot-load", withSnapshot, tenEvents, "ms", Better.Lower, 2.0,
            [
                new("snapshot row cached in process", "yes"),
                new("row read from the table each time ms", withColdSnapshot.ToString("0.00", CultureInfo.InvariantCulture)),
                new("10k events without snapshot ms", withoutSnapshot.ToString("0.0", CultureInfo.InvariantCulture)),
                new("samples", samples.ToString(CultureInfo.InvariantCulture)),
            ]),
            new ScenarioResult("snapshot-load-uncached", withColdSnapshot, tenEventsBesideCold, "ms", Better.Lower),
            new ScenarioResult("load-10k-no-snapshot", withoutSnapshot, tenEventsBesideFull, "ms", Better.Lower),
        ];
    }

    /// <summary>Medians of two loads timed alternately (A B, B A, ...) so machine noise hits both alike.</summary>
    private static async Task<(double A, double B)> MediansAsync<TA, TB>(Func<Task<TA>> a, Func<Task<TB>> b, int samples)
    {
        await a(); // warm-up
        await b();
        var timesA = new List<double>(samples);
        var timesB = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            if (i % 2 == 0)
            {
                timesA.Add(await TimeAsync(a));
                timesB.Add(await TimeAsync(b));
            }
            else
            {
                timesB.Add(await TimeAsync(b));
                timesA.Add(await TimeAsync(a));
            }
        }

        return (Percentiles.Of(timesA, 50), Percentiles.Of(timesB, 50));
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> load)
    {
        var started = Stopwatch.GetTimestamp();
        await load();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
