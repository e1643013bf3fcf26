using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Elastic.Transport.Extensions;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Sinks.Elasticsearch;

namespace EventSourcing.Benchmarks.Elasticsearch;

internal static class TempProfile
{
    public static async Task RunAsync(BenchOrderProjection projection, ElasticsearchClient client, ElasticsearchSink sink, CannedBulkInvoker invoker,
        List<ProjectedEvent[]> batches, List<List<(string Key, BenchOrder Document, long Version)>> finals, CancellationToken ct)
    {
        var target = ReadModelTarget.For(projection);
        client.SourceSerializer.TryGetJsonSerializerOptions(out var opts);
        Console.Error.WriteLine($"source opts converters: {string.Join(",", opts!.Converters.Select(c => c.GetType().Name))}; resolver {opts.TypeInfoResolver?.GetType().Name}");
        {
            var changeLists = finals.Select(f => f.Select(x => new DocumentChange(x.Key, x.Document, x.Version, [x.Version])).ToList()).ToList();
            for (var warm = 0; warm < 3; warm++)
                foreach (var c in changeLists) { invoker.NextItems = c.Count; await sink.WriteAsync(target, c, SinkWriteContext.Direct, ct); }
            var a0 = GC.GetTotalAllocatedBytes(true);
            foreach (var c in changeLists) { invoker.NextItems = c.Count; await sink.WriteAsync(target, c, SinkWriteContext.Direct, ct); }
            Console.Error.WriteLine($"sink.WriteAsync allocates {(GC.GetTotalAllocatedBytes(true) - a0) / changeLists.Count:N0} B/batch");
            var path0 = new EndpointPath(Elastic.Transport.HttpMethod.POST, "bench_orders-v1/_bulk?refresh=false&filter_path=errors,items.*.error,items.*.status");
            var body0 = new byte[23378];
            a0 = GC.GetTotalAllocatedBytes(true);
            foreach (var c in changeLists) { invoker.NextItems = c.Count; await client.Transport.RequestAsync<BytesResponse>(path0, PostData.ReadOnlyMemory(body0), null, null, ct); }
            Console.Error.WriteLine($"transport allocates {(GC.GetTotalAllocatedBytes(true) - a0) / changeLists.Count:N0} B/batch");
            a0 = GC.GetTotalAllocatedBytes(true);
            var documents = new Dictionary<string, (object? Document, long Version)>(StringComparer.Ordinal);
            foreach (var batch in batches)
                foreach (var e in batch)
                {
                    var key = projection.KeyOf(e);
                    documents.TryGetValue(key, out var current);
                    documents[key] = (projection.Apply(current.Document, e), e.Sequence);
                }
            Console.Error.WriteLine($"projection allocates {(GC.GetTotalAllocatedBytes(true) - a0) / batches.Count:N0} B/batch");
            if (changeLists.Count > 0) return;
        }
        for (var round = 0; round < 12; round++)
        {
            // projection only
            var sw = Stopwatch.StartNew();
            for (var r = 0; r < 20; r++)
            {
                var documents = new Dictionary<string, (object? Document, long Version)>(StringComparer.Ordinal);
                foreach (var batch in batches)
                    foreach (var e in batch)
                    {
                        var key = projection.KeyOf(e);
                        documents.TryGetValue(key, out var current);
                        documents[key] = (projection.Apply(current.Document, e), e.Sequence);
                    }
            }
            var n = 20.0 * batches.Count; if (round < 9) Console.Error.Write("#");
            Console.Error.WriteLine($"projection per batch: {sw.Elapsed.TotalMicroseconds / n:F1} us");

            var writes = finals.Select(f => f.Select(x => new DocumentWrite<object>(x.Key, x.Document, x.Version)).ToList()).ToList();
            var buffer = new ArrayBufferWriter<byte>(1 << 16);
            sw.Restart();
            for (var r = 0; r < 20; r++)
                { var bb = new BulkBody(opts!); foreach (var w in writes) { buffer.ResetWrittenCount(); bb.Write(buffer, new DocumentWrites<object>(w), null); } }
            Console.Error.WriteLine($"BulkBody per batch: {sw.Elapsed.TotalMicroseconds / n:F1} us ({buffer.WrittenCount} bytes)");
            var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
            sw.Restart();
            for (var r = 0; r < 20; r++)
                { var bb = new BulkBody(web); foreach (var w in writes) { buffer.ResetWrittenCount(); bb.Write(buffer, new DocumentWrites<object>(w), null); } }
            Console.Error.WriteLine($"BulkBody web opts per batch: {sw.Elapsed.TotalMicroseconds / n:F1} us ({buffer.WrittenCount} bytes)");

            var path = new EndpointPath(Elastic.Transport.HttpMethod.POST, "bench_orders-v1/_bulk?refresh=false");
            var cfg = new RequestConfiguration { ContentType = "application/x-ndjson", Accept = "application/json" };
            invoker.NextItems = 100;
            sw.Restart();
            for (var r = 0; r < 20; r++)
                foreach (var w in writes)
                {
                    var resp = await client.Transport.RequestAsync<BytesResponse>(path, PostData.ReadOnlyMemory(buffer.WrittenMemory), null, cfg, ct);
                }
            Console.Error.WriteLine($"transport per batch: {sw.Elapsed.TotalMicroseconds / n:F1} us");
            sw.Restart();
            for (var r = 0; r < 20; r++)
                foreach (var w in writes)
                {
                    var resp = await client.Transport.RequestAsync<BytesResponse>(path, PostData.ReadOnlyMemory(buffer.WrittenMemory), null, null, ct);
                }
            Console.Error.WriteLine($"transport no cfg per batch: {sw.Elapsed.TotalMicroseconds / n:F1} us");
            var body = System.Text.Encoding.UTF8.GetBytes("{\"took\":3,\"errors\":false,\"items\":[]}");
            sw.Restart();
            for (var r = 0; r < 20; r++)
                foreach (var w in writes) BulkResponseReader.Read(body);
            Console.Error.WriteLine($"response read per batch: {sw.Elapsed.TotalMicroseconds / n:F1} us");
            sw.Restart();
            for (var r = 0; r < 20; r++)
                foreach (var w in writes)
                {
                    invoker.NextItems = w.Count;
                    await sink.WriteAsync(target, w.Select(x => new DocumentChange(x.Id, x.Document, x.Version, [x.Version])).ToList(), SinkWriteContext.Direct, ct);
                }
            Console.Error.WriteLine($"sink.WriteAsync per batch: {sw.Elapsed.TotalMicroseconds / n:F1} us");
        }
    }
}
