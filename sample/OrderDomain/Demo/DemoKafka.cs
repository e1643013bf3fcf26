using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Confluent.Kafka.SyncOverAsync;
using EventSourcing.Projections.Kafka;
using Spectre.Console;

namespace OrderDomain.Demo;

/// <summary>
/// Kafka for the demo: the cluster in KAFKA_BOOTSTRAP_SERVERS when set, otherwise librdkafka's built-in
/// mock cluster (the real Kafka protocol, in this process). After the orders are placed the demo waits
/// until the publisher delivered them to <c>order-events</c> and decodes a few with Confluent's
/// AvroDeserializer against the registry, as another service would.
/// </summary>
public sealed partial class DemoKafka : IDisposable
{
    public const string Topic = "order-events";

    private readonly IProducer<byte[], byte[]>? _mockOwner;

    private DemoKafka(string bootstrapServers, IProducer<byte[], byte[]>? mockOwner)
    {
        BootstrapServers = bootstrapServers;
        _mockOwner = mockOwner;
    }

    public string BootstrapServers { get; }

    public bool IsMock => _mockOwner is not null;

    public static async Task<DemoKafka> StartAsync(CancellationToken ct)
    {
        var configured = Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS");
        if (!string.IsNullOrWhiteSpace(configured))
            return new DemoKafka(configured, null);

        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = new ProducerConfig { BootstrapServers = "127.0.0.1:1" };
        config.Set("test.mock.num.brokers", "3");
        var owner = new ProducerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, message) =>
            {
                var match = BootstrapLine().Match(message.Message);
                if (message.Facility == "MOCK" && match.Success)
                    found.TrySetResult(match.Groups["servers"].Value.Trim());
            })
            .Build();
        try
        {
            return new DemoKafka(await found.Task.WaitAsync(TimeSpan.FromSeconds(30), ct), owner);
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>Waits, with a deadline, until the topic holds at least <paramref name="expected"/> messages.</summary>
    public async Task<long> WaitForPublishedAsync(long expected, TimeSpan timeout, CancellationToken ct)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = "orderdomain-demo-watermarks" }).Build();
        var clock = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var published = Published(admin, consumer);
            if (published >= expected)
                return published;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"the Kafka publisher delivered {published} of {expected} events to {Topic} within {timeout.TotalSeconds:0} s; see the log above and 'projections status'");
            using var timer = new PeriodicTimer(pause);
            await timer.WaitForNextTickAsync(ct);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
        }
    }

    private static long Published(IAdminClient admin, IConsumer<byte[], byte[]> consumer)
    {
        var topic = admin.GetMetadata(Topic, TimeSpan.FromSeconds(5)).Topics.SingleOrDefault(t => t.Error.Code == ErrorCode.NoError);
        if (topic is null)
            return 0;
        return topic.Partitions.Sum(p => (long)consumer.QueryWatermarkOffsets(new TopicPartition(Topic, p.PartitionId), TimeSpan.FromSeconds(5)).High.Value);
    }

    /// <summary>Reads the first messages of the topic as an independent consumer and decodes them through the registry.</summary>
    public void Show(ISchemaRegistryClient registry, long published, int count)
    {
        using var consumer = new ConsumerBuilder<string, GenericRecord>(new ConsumerConfig
            {
                BootstrapServers = BootstrapServers,
                GroupId = "orderdomain-demo-" + Guid.NewGuid().ToString("N")[..8],
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
            })
            .SetValueDeserializer(new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync())
            .Build();
        consumer.Subscribe(Topic);
        var table = new Table().AddColumns("partition@offset", "key (order)", "event-type", "v", "global-sequence", "actor", "value (Avro, decoded with the writer schema)");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var shown = 0;
        while (shown < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result?.Message is not { } message)
                continue;
            table.AddRow(
                Markup.Escape($"{result.Partition.Value}@{result.Offset.Value}"),
                Markup.Escape(message.Key[..8]),
                Markup.Escape(Header(message, EventHeaders.EventType)),
                Markup.Escape(Header(message, EventHeaders.SchemaVersion)),
                Markup.Escape(Header(message, EventHeaders.GlobalSequence)),
                Markup.Escape(Header(message, EventHeaders.Actor)),
                Markup.Escape(Describe(message.Value)));
            shown++;
        }

        consumer.Close();
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine($"[bold]Kafka[/]  [grey]{published} events in {Topic} on {(IsMock ? "librdkafka's mock cluster" : "the cluster")} at {Markup.Escape(BootstrapServers)}; key = order id, value = Avro with the registry's framing[/]");
        AnsiConsole.Write(table);
    }

    private static string Header(Message<string, GenericRecord> message, string name) =>
        message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";

    private static string Describe(GenericRecord record)
    {
        var fields = record.Schema.Fields.Take(4).Select(f => $"{f.Name}={Short(record[f.Name])}");
        var text = string.Join(", ", fields);
        return record.Schema.Fields.Count > 4 ? text + ", ..." : text;
    }

    private static string Short(object? value) => value switch
    {
        null => "null",
        string s when s.Length > 18 => s[..18] + "..",
        GenericRecord r => "{" + r.Schema.Name + "}",
        System.Collections.IList list => $"[{list.Count}]",
        DateTime t => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public void Dispose() => _mockOwner?.Dispose();

    [GeneratedRegex(@"replaced with (?<servers>[0-9.:,]+)")]
    private static partial Regex BootstrapLine();
}
