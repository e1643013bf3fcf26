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
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventSourcing.Benchmarks.Publish;

/// <summary>
/// <c>publish</c>: events/s publishing 100k stored events (quick: 20k) through the Kafka publisher
/// (Marten daemon subscription, Avro via Confluent's serializer, delivery reports awaited before each
/// checkpoint) vs a raw Confluent producer with the same settings sending the same Avro payloads, on
/// librdkafka's mock cluster in the same process.
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

            var serializing = Stopwatch.StartNew();
            var payloads = await PayloadsAsync(messages, total, cancellationToken);
            BenchmarkContext.Progress($"building the Avro messages alone: {total / serializing.Elapsed.TotalSeconds:0} events/s");
            var baselineRate = await BaselineAsync(options, payloads, cancellationToken);
            var (oursRate, pages) = await OursAsync(context, options, messages, total, cancellationToken);

            return [new ScenarioResult("publish", oursRate, baselineRate, "events/s", Better.Higher, Target: 0.8, Notes:
            [
                new("events", total.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("daemon pages", pages.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("cluster", "librdkafka mock, 3 brokers"),
            ])];
        }
        finally
        {
            await kafka.DisposeAsync();
        }
    }

    /// <summary>The same messages the publisher sends (key, framed Avro value, headers), built once for the baseline.</summary>
    private static async Task<List<OutgoingEvent>> PayloadsAsync(EventMessageFactory messages, int total, CancellationToken ct)
    {
        var list = new List<OutgoingEvent>(total);
        var registry = PublishEvents.Registry();
        for (var i = 0; i < total; i++)
        {
            var order = Guid.CreateVersion7();
            var data = PublishEvents.Event(order, i % EventsPerStream);
            var registration = registry.Get(data.GetType());
            var envelope = new EventEnvelope(Guid.NewGuid(), order, i % EventsPerStream + 1, i + 1, DateTimeOffset.UtcNow, registration.Name,
                registration.SchemaVersion, registration.StoredName, null, null, new Dictionary<string, object>(), data);
            var message = await messages.CreateAsync(envelope, part: null, ct);
            list.Add(message with { Topic = "bench-publish-baseline" });
        }

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

    private static async Task<(double Rate, long Pages)> OursAsync(
        BenchmarkContext context, KafkaPublisherOptions options, EventMessageFactory messages, int total, CancellationToken ct)
    {
        var schema = await context.NewSchemaAsync("publish_store", ct);
        using var producer = new KafkaEventProducer(options, NullLogger<KafkaEventProducer>.Instance);
        var publisher = new KafkaEventPublisher(producer, messages, options, NullLogger<KafkaEventPublisher>.Instance);
        var eventStore = new EventStoreOptions { ConnectionString = context.ConnectionString, SchemaName = schema };
        foreach (var registration in PublishEvents.Registry().Registrations)
            eventStore.Events.Register(registration.ClrType, registration.Name, registration.SchemaVersion);
        eventStore.ConfigureMarten(o => o.Projections.Subscribe(publisher));
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

        var highWater = (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventSequenceNumber;
        using var daemon = await store.BuildProjectionDaemonAsync();
        var clock = Stopwatch.StartNew();
        await daemon.StartAllAsync();
        var shard = new ShardName(options.SubscriptionName, "All", 1);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (await store.Advanced.ProjectionProgressFor(shard, token: ct) < highWater)
            await poll.WaitForNextTickAsync(ct);
        var elapsed = clock.Elapsed;
        await daemon.StopAllAsync();
        var rate = highWater / elapsed.TotalSeconds;
        BenchmarkContext.Progress($"ours: Kafka publisher {rate:0} events/s ({publisher.PagesPublished} pages)");
        return (rate, publisher.PagesPublished);
    }
}
