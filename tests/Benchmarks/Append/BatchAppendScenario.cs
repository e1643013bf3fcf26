using System.Diagnostics;
using EventSourcing.Benchmarks.Harness;
using EventSourcing.EventStore;
using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Configuration;
using Marten;

namespace EventSourcing.Benchmarks.Append;

/// <summary>
/// 100k events over 10k new streams (quick: 20k over 2k), 10 events a stream, 100 streams a transaction:
/// ours (<see cref="IEventStore.AppendBatchAsync"/>, with validation) vs the same sessions through plain
/// Marten quick append (StartStream + SaveChangesAsync) on an identically configured store.
/// </summary>
internal static class BatchAppendScenario
{
    private const int EventsPerStream = 10;
    private const int StreamsPerTransaction = 100;

    public static async Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var streams = context.Size(10_000, 2_000);
        var totalEvents = streams * EventsPerStream;

        var ourSchema = await context.NewSchemaAsync("batch_ours", ct);
        await using var ours = MartenEventStore.Create(Accounts.Options(context.ConnectionString, ourSchema));
        await ours.EnsureSchemaAsync(ct);

        var baseSchema = await context.NewSchemaAsync("batch_base", ct);
        await using var marten = new DocumentStore(MartenConfiguration.CreateStoreOptions(Accounts.Options(context.ConnectionString, baseSchema)));
        await marten.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        // warm up both paths (JIT, connection pool, Marten's generated code)
        await OursAsync(ours, 2 * StreamsPerTransaction, ct);
        await BaselineAsync(marten, 2 * StreamsPerTransaction, ct);

        // alternate transaction by transaction so drift on a noisy machine hits both sides alike
        double oursSeconds = 0, baseSeconds = 0;
        for (var done = 0; done < streams; done += StreamsPerTransaction)
        {
            var count = Math.Min(StreamsPerTransaction, streams - done);
            if ((done / StreamsPerTransaction) % 2 == 0)
            {
                oursSeconds += await OursAsync(ours, count, ct);
                baseSeconds += await BaselineAsync(marten, count, ct);
            }
            else
            {
                baseSeconds += await BaselineAsync(marten, count, ct);
                oursSeconds += await OursAsync(ours, count, ct);
            }
        }

        var oursRate = totalEvents / oursSeconds;
        var baseRate = totalEvents / baseSeconds;
        BenchmarkContext.Progress($"batch-append: ours {oursRate:N0} events/s, marten {baseRate:N0} events/s");
        return new ScenarioResult("batch-append", oursRate, baseRate, "events/s", Better.Higher, 0.95,
        [
            new("events", totalEvents.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)),
            new("streams/tx", StreamsPerTransaction.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);
    }

    private static async Task<double> OursAsync(MartenEventStore store, int streams, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        for (var done = 0; done < streams; done += StreamsPerTransaction)
        {
            var batch = new StreamAppend[Math.Min(StreamsPerTransaction, streams - done)];
            for (var i = 0; i < batch.Length; i++)
            {
                var id = Guid.NewGuid();
                batch[i] = new StreamAppend(id, Accounts.History(id, EventsPerStream), ExpectedVersion.NoStream);
            }

            await store.AppendBatchAsync(batch, null, ct);
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> BaselineAsync(IDocumentStore store, int streams, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        for (var done = 0; done < streams; done += StreamsPerTransaction)
        {
            await using var session = store.LightweightSession();
            var count = Math.Min(StreamsPerTransaction, streams - done);
            for (var i = 0; i < count; i++)
            {
                var id = Guid.NewGuid();
                session.Events.StartStream(id, Accounts.History(id, EventsPerStream));
            }

            await session.SaveChangesAsync(ct);
        }

        return clock.Elapsed.TotalSeconds;
    }
}
