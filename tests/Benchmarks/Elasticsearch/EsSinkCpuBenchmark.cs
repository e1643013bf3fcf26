using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EventSourcing.Benchmarks.Harness;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Sinks.Elasticsearch;

namespace EventSourcing.Benchmarks.Elasticsearch;

/// <summary>
/// <c>es-sink-cpu</c> (suite <c>projections</c>): events/s through projection and bulk-body serialization by the
/// Elasticsearch sink and the official client against the in-memory transport (ours), vs serializing the same final
/// documents of every batch to bulk NDJSON with System.Text.Json alone (baseline). Same process, same batches;
/// each side repeats its pass for a fixed window, five times alternately, and the median counts. The in-memory node
/// answers each bulk request as Elasticsearch would (<see cref="CannedBulkInvoker"/>). The notes add, for the record,
/// ours with HttpCompression on and the client's typed bulk API on the same documents.
/// </summary>
public sealed class EsSinkCpuBenchmark : IBenchmarkSuite
{
    private const int BatchSize = 500;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Suite => "projections";

    public int Order => 20;

    public IReadOnlyCollection<string> Scenarios => ["es-sink-cpu"];

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var projection = new BenchOrderProjection();
        var events = BenchOrderProjection.Events(context.Size(full: 20_000, quick: 4_000));
        var batches = events.Chunk(BatchSize).ToList();
        var finals = FinalDocumentsPerBatch(projection, batches);

        using var invoker = new CannedBulkInvoker();
        var options = new ElasticsearchOptions { Urls = [new Uri("http://localhost:9200")] };
        var client = ElasticsearchClientFactory.Create(options, invoker);
        var documentsPerBatch = finals.Select(f => f.Count).ToArray();
        var reloaded = finals.SelectMany(f => f.Select(d => d.Key)).CountBy(key => key, StringComparer.Ordinal)
            .Where(k => k.Value > 1).Select(k => k.Key).ToHashSet(StringComparer.Ordinal); // keys a later batch loads again
        var pipeline = new Pipeline(new ElasticsearchSink(client, options), reloaded, documentsPerBatch);
        var target = ReadModelTarget.For(projection);
        invoker.Prepare(finals.Select(f => f.Count).Distinct());

        // Warm up each side for a full window, so the JIT's tiering is done before either is measured.
        var window = TimeSpan.FromSeconds(context.Quick ? 0.6 : 2);
        BenchmarkContext.Progress($"es-sink-cpu: {events.Count:N0} events in {batches.Count} batches of {BatchSize}, warm-up");
        await RepeatAsync(events.Count, window, async () => (await OursAsync(projection, pipeline, target, invoker, batches, cancellationToken), 0.0));
        await RepeatAsync(events.Count, window, () => Task.FromResult((Baseline(finals), 0.0)));

        // For the record: bytes allocated per event by each side (ours: and inside the sink's bulk call).
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        await OursAsync(projection, pipeline, target, invoker, batches, cancellationToken);
        var oursBytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)events.Count;
        var sinkBytes = pipeline.Index.WriteBytes / (double)events.Count;
        allocated = GC.GetTotalAllocatedBytes(precise: true);
        Baseline(finals);
        var baselineBytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)events.Count;

        var ours = new List<double>();
        var baseline = new List<double>();
        var sinkShare = new List<double>();
        var typed = new List<double>();
        for (var run = 0; run < 5; run++)
        {
            // Each side repeats its pass until the window is full, so a short pass is not lost in scheduling noise.
            var (oursRate, share) = await RepeatAsync(events.Count, window, async () =>
            {
                var seconds = await OursAsync(projection, pipeline, target, invoker, batches, cancellationToken);
                return (seconds, WriteSeconds);
            });
            ours.Add(oursRate);
            sinkShare.Add(share);
            baseline.Add((await RepeatAsync(events.Count, window, () => Task.FromResult((Baseline(finals), 0.0)))).Rate);
            BenchmarkContext.Progress($"es-sink-cpu run {run + 1}: ours {ours[^1]:N0} events/s, baseline {baseline[^1]:N0} events/s");
        }

        // For the record: the same path with HttpCompression on (gzip of every body, the .NET client's default).
        var gzipOptions = options with { HttpCompression = true };
        var gzipPipeline = new Pipeline(new ElasticsearchSink(ElasticsearchClientFactory.Create(gzipOptions, invoker), gzipOptions), reloaded, documentsPerBatch);
        var gzip = new List<double>();
        for (var run = 0; run < 3; run++)
            gzip.Add((await RepeatAsync(events.Count, window, async () =>
                (await OursAsync(projection, gzipPipeline, target, invoker, batches, cancellationToken), 0.0))).Rate);
        BenchmarkContext.Progress($"es-sink-cpu with HttpCompression on: {Median(gzip):N0} events/s");

        // The client's typed bulk path leaves finalizable garbage behind (dynamic methods); it runs last, on its own.
        for (var run = 0; run < 3; run++)
            typed.Add((await RepeatAsync(events.Count, window, async () =>
                (await TypedClientAsync(client, invoker, finals, cancellationToken), 0.0))).Rate);
        BenchmarkContext.Progress($"es-sink-cpu typed client bulk: {Median(typed):N0} events/s");

        return
        [
            new ScenarioResult("es-sink-cpu", Median(ours), Median(baseline), "events/s", Better.Higher, Target: 0.5,
                Notes: [new("events", events.Count.ToString("N0", CultureInfo.InvariantCulture)), new("batch", BatchSize.ToString(CultureInfo.InvariantCulture)),
                    new("allocated per event", string.Create(CultureInfo.InvariantCulture, $"ours {oursBytes:N0} B ({sinkBytes:N0} B in the bulk call), baseline {baselineBytes:N0} B")),
                    new("share of ours in the sink's bulk call", Median(sinkShare).ToString("P0", CultureInfo.InvariantCulture)),
                    new("ours with HttpCompression on", Median(gzip).ToString("N0", CultureInfo.InvariantCulture) + " events/s"),
                    new("typed BulkRequest/BulkResponse of the client, same documents", Median(typed).ToString("N0", CultureInfo.InvariantCulture) + " events/s")]),
        ];
    }

    /// <summary>
    /// The daemon's own batch code (<c>BatchProcessor.ProcessAsync</c>: key, load once, apply in memory, one change per
    /// document, the sink's bulk write through the client, outcomes, telemetry) over every batch; returns seconds.
    /// </summary>
    private static async Task<double> OursAsync(
        BenchOrderProjection projection, Pipeline pipeline, ReadModelTarget target, CannedBulkInvoker invoker,
        List<ProjectedEvent[]> batches, CancellationToken cancellationToken)
    {
        pipeline.Index.Clear();
        var clock = Stopwatch.StartNew();
        for (var b = 0; b < batches.Count; b++)
        {
            var batch = batches[b];
            invoker.NextItems = pipeline.DocumentsPerBatch[b];
            var result = await pipeline.Processor.ProcessAsync(projection, target, batch, SinkWriteContext.Direct, reapply: false, cancellationToken);
            if (result.Applied != batch.Length || result.DeadLetters.Count > 0)
                throw new InvalidOperationException($"es-sink-cpu: {result.Applied} of {batch.Length} events applied, {result.DeadLetters.Count} dead letters");
        }

        WriteSeconds = pipeline.Index.WriteSeconds;
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The daemon's batch processor over the Elasticsearch sink, as <c>ProjectionRuntime</c> builds it.</summary>
    private sealed class Pipeline
    {
        public Pipeline(ElasticsearchSink sink, IReadOnlySet<string> reloaded, int[] documentsPerBatch)
        {
            DocumentsPerBatch = documentsPerBatch;
            Index = new IndexStandIn(sink, reloaded);
            var options = new ProjectionsOptions { ConnectionString = "Host=unused" };
            Processor = new BatchProcessor(Index, new SinkResilience(options, new ProjectionHealth()), TimeProvider.System);
        }

        public IndexStandIn Index { get; }

        /// <summary>How many documents each batch changes: the canned node answers one item per document.</summary>
        public int[] DocumentsPerBatch { get; }

        public BatchProcessor Processor { get; }
    }

    /// <summary>System.Text.Json alone: the same final documents of each batch as bulk NDJSON; returns seconds.</summary>
    private static double Baseline(List<List<(string Key, BenchOrder Document, long Version)>> finals)
    {
        var clock = Stopwatch.StartNew();
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        long bytes = 0;
        foreach (var batch in finals)
        {
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                foreach (var (key, document, version) in batch)
                {
                    writer.WriteStartObject();
                    writer.WriteStartObject("index");
                    writer.WriteString("_id", key);
                    writer.WriteNumber("version", version);
                    writer.WriteString("version_type", "external_gte");
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    writer.Flush();
                    buffer.Write("\n"u8);
                    writer.Reset();
                    JsonSerializer.Serialize(writer, document, Json);
                    writer.Flush();
                    buffer.Write("\n"u8);
                    writer.Reset();
                }
            }

            bytes += buffer.WrittenCount;
        }

        if (bytes == 0)
            throw new InvalidOperationException("es-sink-cpu baseline wrote nothing");
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>For the record: the same final documents through the client's typed bulk API (BulkRequest/BulkResponse); returns seconds.</summary>
    private static async Task<double> TypedClientAsync(
        ElasticsearchClient client, CannedBulkInvoker invoker, List<List<(string Key, BenchOrder Document, long Version)>> finals,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        foreach (var batch in finals)
        {
            var operations = new BulkOperationsCollection();
            foreach (var (key, document, version) in batch)
                operations.Add(new BulkIndexOperation<object>(document) { Id = key, Version = version, VersionType = VersionType.ExternalGte });
            invoker.NextItems = batch.Count;
            var response = await client.BulkAsync(new BulkRequest("bench_orders-v1") { Operations = operations, Refresh = Refresh.False }, cancellationToken);
            if (!response.IsValidResponse || response.Items.Count != batch.Count)
                throw new InvalidOperationException("es-sink-cpu: the typed bulk call failed");
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static List<List<(string Key, BenchOrder Document, long Version)>> FinalDocumentsPerBatch(
        BenchOrderProjection projection, List<ProjectedEvent[]> batches)
    {
        var documents = new Dictionary<string, (BenchOrder Document, long Version)>(StringComparer.Ordinal);
        var result = new List<List<(string, BenchOrder, long)>>();
        foreach (var batch in batches)
        {
            var keys = new List<string>();
            foreach (var e in batch)
            {
                var key = projection.KeyOf(e);
                documents.TryGetValue(key, out var current);
                documents[key] = ((BenchOrder)projection.Apply(current.Document, e)!, e.Sequence);
                if (!keys.Contains(key))
                    keys.Add(key);
            }

            result.Add(keys.Select(k => (k, documents[k].Document, documents[k].Version)).ToList());
        }

        return result;
    }

    /// <summary>Time spent inside the sink's bulk write (client serialization, transport, response parsing) in the last run.</summary>
    private static double WriteSeconds { get; set; }

    /// <summary>Runs <paramref name="pass"/> until <paramref name="window"/> is used; returns events/s and the mean share of the second number.</summary>
    private static async Task<(double Rate, double Share)> RepeatAsync(int events, TimeSpan window, Func<Task<(double Seconds, double Part)>> pass)
    {
        // Start every window from a settled heap, so one side's garbage is not collected on the other's clock.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        double seconds = 0, part = 0;
        var passes = 0;
        while (seconds < window.TotalSeconds || passes == 0)
        {
            var (s, p) = await pass();
            seconds += s;
            part += p;
            passes++;
        }

        return (events * (double)passes / seconds, part / seconds);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
