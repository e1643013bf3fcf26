using System.Diagnostics;
using Confluent.Kafka;
using EventSourcing.Benchmarks.Harness;
using EventSourcing.EventStore;
using EventSourcing.EventStore.Configuration;
using EventSourcing.EventStore.Reading;
using EventSourcing.Projections.Kafka.Options;
using EventSourcing.Projections.Kafka.Publishing;
using EventSourcing.SchemaTools.Registry;
using EventSourcing.TestInfrastructure;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventSourcing.Benchmarks.Publish;

/// <summary>
/// <c>publish</c>: events/s publishing 100k stored events (quick: 20k) through the Kafka publisher
/// (Marten daemon subscription, Avro via Confluent's serializer, delivery reports awaited before each
/// checkpoint) vs a raw Confluent producer with the same settings sending the same Avro payloads, on
/// librdkafka's mock cluster in the same process. Also measured, as notes: Marten's daemon paging the
/// same events to an empty subscription (what the baseline does not pay), the publisher's encoding
/// alone, and where the publisher's time went.
/// </summary>
public sealed class PublishSuite : IBenchmarkSuite
{
    private const int EventsPerStream = 10;

    public string Suite => "publish";

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var total = context.Size(100_000, 20_000);
        var kafka = new KafkaFixture();
        await kafka.InitializeAsync();
        try
        {
            var registrySchema = await context.NewSchemaAsync("publish_registry", cancellationToken);
            using var registry = new PostgresSchemaRegistryClient(context.DataSource,
                new EmbeddedSchemaRegistryOptions { DatabaseSchema = registrySchema }, SchemaToolsCompatibilityGate.Instance);
            var options = new KafkaPublisherOptions
            {
                Kafka = new KafkaClientOptions { BootstrapServers = kafka.BootstrapServers },
                AutoRegisterSchemas = true,
                BatchSize = 5_000,
                Topics = new Dictionary<string, string> { ["shop"] = "bench-publish-ours" },
            };
            var events = PublishEvents.Registry();
            var messages = new EventMessageFactory(events, registry, options);

            var stored = StoredEvents(total);
            await EncodePagesAsync(messages, StoredEvents(20_000), options.BatchSize, cancellationToken); // warm-up: JIT, schema registration
            var encoding = Stopwatch.StartNew();
            var encodingCpu = CpuPerEvent.Start(total);
            await EncodePagesAsync(messages, stored, options.BatchSize, cancellationToken);
            var encodingRate = total / encoding.Elapsed.TotalSeconds;
            Cpu["encoding alone"] = encodingCpu.Stop();
            var payloads = await PayloadsAsync(messages, stored, cancellationToken);
            BenchmarkContext.Progress($"the publisher's encoding alone (records + Confluent's serializer, {Environment.ProcessorCount} workers): {encodingRate:0} events/s");
            var baselineCpu = CpuPerEvent.Start(total);
            var baselineRate = await BaselineAsync(options, payloads, cancellationToken);
            Cpu["baseline"] = baselineCpu.Stop();
            // Warm-up on a small store first: Marten's generated code and the daemon's paths are compiled
            // once per process, which would otherwise be charged to whichever shard runs first.
            await OursAsync(context, options, new EventMessageFactory(events, registry, options), 2_000, cancellationToken);
            var ours = await OursAsync(context, options, new EventMessageFactory(events, registry, options), total, cancellationToken);

            return [new ScenarioResult("publish", ours.Rate, baselineRate, "events/s", Better.Higher, Target: 0.8, Notes:
            [
                new("events", Number(total)),
                new("daemon pages", $"{Number(ours.Pages)} of {Number(options.BatchSize)}"),
                new("Marten daemon alone (empty subscription) events/s", Number(ours.MartenAloneRate)),
                new("our encoding alone events/s", Number(encodingRate)),
                new("ours ms: between pages / waiting for encoding / produce / delivery reports",
                    $"{ours.Timings.BetweenPages.TotalMilliseconds:0} / {ours.Timings.EncodeWait.TotalMilliseconds:0} / " +
                    $"{ours.Timings.Produce.TotalMilliseconds:0} / {ours.Timings.Delivery.TotalMilliseconds:0}"),
                new("process CPU µs/event: baseline / Marten alone / ours / encoding alone",
                    $"{Cpu["baseline"]:0.0} / {Cpu["Marten alone"]:0.0} / {Cpu["ours"]:0.0} / {Cpu["encoding alone"]:0.0}"),
                new("cluster", "librdkafka mock, 3 brokers"),
            ])];
        }
        finally
        {
            await kafka.DisposeAsync();
        }
    }

    /// <summary>Marten event objects as the daemon hands them to the publisher, <see cref="EventsPerStream"/> per order.</summary>
    private static List<IEvent> StoredEvents(int total)
    {
        var events = new List<IEvent>(total);
        var registry = PublishEvents.Registry();
        for (var i = 0; i < total; i++)
        {
            var order = Guid.CreateVersion7();
            var data = PublishEvents.Event(order, i % EventsPerStream);
            var @event = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(data.GetType()), data)!;
            @event.Id = Guid.NewGuid();
            @event.StreamId = order;
            @event.Version = i % EventsPerStream + 1;
            @event.Sequence = i + 1;
            @event.Timestamp = DateTimeOffset.UtcNow;
            @event.EventTypeName = registry.Get(data.GetType()).StoredName;
            events.Add(@event);
        }

        return events;
    }

    /// <summary>Our encoding alone, as the publisher runs it: page by page, each page's messages dropped once encoded.</summary>
    private static async Task EncodePagesAsync(EventMessageFactory messages, List<IEvent> events, int pageSize, CancellationToken ct)
    {
        for (var page = 0; page < events.Count; page += pageSize)
        {
            foreach (var chunk in messages.EncodeInChunks(events.GetRange(page, Math.Min(pageSize, events.Count - page)), KafkaEventPublisher.ChunkSize, ct))
                await chunk;
        }
    }

    /// <summary>The same messages the publisher sends (key, framed Avro value, headers), encoded by the publisher's own encoder, for the baseline.</summary>
    private static async Task<List<OutgoingEvent>> PayloadsAsync(EventMessageFactory messages, List<IEvent> events, CancellationToken ct)
    {
        var list = new List<OutgoingEvent>(events.Count);
        foreach (var chunk in messages.EncodeInChunks(events, KafkaEventPublisher.ChunkSize, ct))
            list.AddRange((await chunk).Select(m => m with { Topic = "bench-publish-baseline" }));
        return list;
    }

    private static async Task<double> BaselineAsync(KafkaPublisherOptions options, List<OutgoingEvent> payloads, CancellationToken ct)
    {
        using var producer = new ProducerBuilder<string, byte[]>(KafkaEventProducer.CreateConfig(options)).Build();
        var clock = Stopwatch.StartNew();
        var pending = payloads.Count;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failed = 0;
        foreach (var item in payloads)
        {
            while (true)
            {
                try
                {
                    producer.Produce(item.Topic, item.Message, report =>
                    {
                        if (report.Error.IsError) Interlocked.Increment(ref failed);
                        if (Interlocked.Decrement(ref pending) == 0) done.TrySetResult();
                    });
                    break;
                }
                catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(5));
                }
            }
        }

        await done.Task.WaitAsync(ct);
        var rate = payloads.Count / clock.Elapsed.TotalSeconds;
        if (failed > 0)
            throw new InvalidOperationException($"the baseline producer lost {failed} deliveries");
        BenchmarkContext.Progress($"baseline: raw Confluent producer {rate:0} events/s");
        return rate;
    }

    /// <summary>This process's CPU time per event in each phase (PostgreSQL's own CPU is not in it), in µs.</summary>
    private static readonly Dictionary<string, double> Cpu = new(StringComparer.Ordinal);

    private readonly record struct CpuPerEvent(TimeSpan Started, int Events)
    {
        public static CpuPerEvent Start(int events) => new(Process.GetCurrentProcess().TotalProcessorTime, events);

        public double Stop() => (Process.GetCurrentProcess().TotalProcessorTime - Started).TotalMicroseconds / Events;
    }

    private static string Number(double value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(double Rate, long Pages, double MartenAloneRate, PublisherTimings Timings)> OursAsync(
        BenchmarkContext context, KafkaPublisherOptions options, EventMessageFactory messages, int total, CancellationToken ct)
    {
        var schema = await context.NewSchemaAsync("publish_store", ct);
        using var producer = new KafkaEventProducer(options, NullLogger<KafkaEventProducer>.Instance);
        var publisher = new KafkaEventPublisher(producer, messages, options, NullLogger<KafkaEventPublisher>.Instance);
        var eventStore = new EventStoreOptions { ConnectionString = context.ConnectionString, SchemaName = schema };
        foreach (var registration in PublishEvents.Registry().Registrations)
            eventStore.Events.Register(registration.ClrType, registration.Name, registration.SchemaVersion);
        var fetchOnly = new FetchOnlySubscription(options.BatchSize);
        eventStore.ConfigureMarten(o =>
        {
            o.Projections.Subscribe(publisher);
            o.Projections.Subscribe(fetchOnly);
        });
        await using var store = new DocumentStore(MartenConfiguration.CreateStoreOptions(eventStore));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        BenchmarkContext.Progress($"storing {total} events");
        for (var stored = 0; stored < total;)
        {
            await using var session = store.LightweightSession();
            for (var s = 0; s < 100 && stored < total; s++, stored += EventsPerStream)
            {
                var order = Guid.CreateVersion7();
                session.Events.StartStream(order, Enumerable.Range(0, EventsPerStream).Select(i => PublishEvents.Event(order, i)).ToArray());
            }

            await session.SaveChangesAsync(ct);
        }

        await context.AnalyzeEventLogAsync(schema, ct);

        var highWater = (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventSequenceNumber;
        using var daemon = await store.BuildProjectionDaemonAsync();

        // Marten's share alone: the daemon paging the same events to a subscription that does nothing.
        var cpu = CpuPerEvent.Start(total);
        var fetchElapsed = await RunShardAsync(store, daemon, new ShardName(FetchOnlySubscription.SubscriptionName, "All", 1), highWater, ct);
        Cpu["Marten alone"] = cpu.Stop();
        var martenAlone = highWater / fetchElapsed.TotalSeconds;
        BenchmarkContext.Progress($"Marten daemon alone (empty subscription): {martenAlone:0} events/s ({fetchOnly.Pages} pages)");

        cpu = CpuPerEvent.Start(total);
        var elapsed = await RunShardAsync(store, daemon, new ShardName(options.SubscriptionName, "All", 1), highWater, ct);
        Cpu["ours"] = cpu.Stop();
        await daemon.StopAllAsync();
        var rate = highWater / elapsed.TotalSeconds;
        BenchmarkContext.Progress($"ours: Kafka publisher {rate:0} events/s ({publisher.PagesPublished} pages) in {elapsed.TotalMilliseconds:0} ms: {publisher.Timings}");
        return (rate, publisher.PagesPublished, martenAlone, publisher.Timings);
    }

    private static async Task<TimeSpan> RunShardAsync(DocumentStore store, JasperFx.Events.Daemon.IProjectionDaemon daemon, ShardName shard, long highWater, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await daemon.StartAgentAsync(shard, ct);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (await store.Advanced.ProjectionProgressFor(shard, token: ct) < highWater)
            await poll.WaitForNextTickAsync(ct);
        return clock.Elapsed;
    }
}
