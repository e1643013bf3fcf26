using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using EventSourcing.Projections.Kafka;
using EventSourcing.TestInfrastructure;
using EventSourcing.Projections.Rebuild;
using Npgsql;

namespace EventSourcing.Projections.Tests.Kafka;

public sealed class PublishingTests(PostgresFixture postgres, KafkaFixture kafka)
    : KafkaTestBase(postgres, kafka), IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task ten_thousand_events_over_500_orders_arrive_complete_and_in_stream_order_per_key()
    {
        using var registry = NewRegistry();
        var options = PublisherHost.DefaultOptions(Kafka) with { Topics = new Dictionary<string, string> { ["order"] = "orders-10k" } };
        await using var host = await PublisherHost.StartAsync(Postgres.NewSchemaName(), Postgres.ConnectionString, options, registry, TestContracts.Publisher(), Ct);

        var orders = await AppendOrdersAsync(host.Store, orders: 500, perOrder: 20, Ct);
        await host.WaitForCheckpointAsync(await host.HighWaterAsync(Ct), Ct);

        // Read back as another service would: a plain consumer with Confluent's AvroDeserializer.
        var received = await ConsumeAllAsync("orders-10k", registry, expected: 10_000);

        Assert.Equal(10_000, received.Count);
        Assert.Equal(10_000, received.Select(r => EventHeaders.Read(r.Message.Headers, EventHeaders.EventId)).Distinct().Count());
        var byKey = received.GroupBy(r => r.Message.Key).ToList();
        Assert.Equal(orders.Select(o => o.ToString()).Order(), byKey.Select(g => g.Key).Order());
        foreach (var stream in byKey)
        {
            var versions = stream.OrderBy(r => (r.Partition.Value, r.Offset.Value))
                .Select(r => long.Parse(EventHeaders.Read(r.Message.Headers, EventHeaders.StreamVersion)!, System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
            Assert.Equal(Enumerable.Range(1, 20).Select(v => (long)v), versions);
            Assert.Single(stream.Select(r => r.Partition.Value).Distinct());
        }

        var placed = received.First(r => EventHeaders.Read(r.Message.Headers, EventHeaders.EventType) == "order.placed");
        Assert.Equal("order.placed", placed.Message.Value.Schema.Fullname);
        Assert.Equal(placed.Message.Key, placed.Message.Value["orderId"].ToString());
        Assert.Equal("1", EventHeaders.Read(placed.Message.Headers, EventHeaders.SchemaVersion));
    }

    [Fact]
    public async Task a_publisher_killed_mid_run_and_restarted_loses_nothing_and_the_consumer_drops_the_duplicates()
    {
        using var registry = NewRegistry();
        var schema = Postgres.NewSchemaName();
        var options = PublisherHost.DefaultOptions(Kafka) with { Topics = new Dictionary<string, string> { ["order"] = "orders-kill" }, BatchSize = 200 };
        long total;
        await using (var first = await PublisherHost.StartAsync(schema, Postgres.ConnectionString, options, registry, TestContracts.Publisher(), Ct))
        {
            await AppendOrdersAsync(first.Store, orders: 200, perOrder: 20, Ct);
            total = await first.HighWaterAsync(Ct);
            await first.WaitForCheckpointAsync(total / 2, Ct);
        } // killed: the producer is destroyed without a flush while pages are in flight

        // The crash window made certain: some events reached Kafka but their checkpoint was never stored.
        await using (var rewind = Postgres.DataSource.CreateCommand(
            $"update {schema}.mt_event_progression set last_seq_id = greatest(last_seq_id - 500, 0) where name = '{options.SubscriptionName}:All'"))
            await rewind.ExecuteNonQueryAsync(Ct);

        await using (var restarted = await PublisherHost.StartAsync(schema, Postgres.ConnectionString, options, registry, TestContracts.Publisher(), Ct))
            await restarted.WaitForCheckpointAsync(total, Ct);

        var raw = await ConsumeAllAsync("orders-kill", registry, expected: (int)total);
        var handler = new RecordingHandler();
        var runner = NewRunner(registry, TestContracts.Publisher(), handler, "orders-kill");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = runner.RunAsync(stop.Token);
        await Eventually.Until(() => Task.FromResult(runner.Applied + runner.DroppedDuplicates), n => n >= raw.Count, TimeSpan.FromSeconds(60), "the consumer to read every message");
        await stop.CancelAsync();
        await running;

        Assert.True(raw.Count >= total + 500, $"expected at least 500 re-sent events, got {raw.Count - total}");
        var duplicates = raw.GroupBy(r => EventHeaders.Read(r.Message.Headers, EventHeaders.EventId)).Where(g => g.Count() > 1).ToList();
        Assert.NotEmpty(duplicates);
        Assert.All(duplicates, d => Assert.Single(d.Select(r => EventHeaders.Read(r.Message.Headers, EventHeaders.GlobalSequence)).Distinct()));
        Assert.Equal(total, handler.Count);
        Assert.Equal(total, handler.Events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(raw.Count - total, runner.DroppedDuplicates);
        Assert.All(handler.Events.GroupBy(e => e.StreamKey), s => Assert.Equal(Enumerable.Range(1, 20).Select(v => (long)v), s.Select(e => e.StreamVersion)));
    }

    private async Task<List<ConsumeResult<string, GenericRecord>>> ConsumeAllAsync(string topic, ISchemaRegistryClient registry, int expected)
    {
        var deserializer = new AvroDeserializer<GenericRecord>(registry, new AvroDeserializerConfig { SubjectNameStrategy = SubjectNameStrategy.Record });
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
            {
                BootstrapServers = Kafka.BootstrapServers,
                GroupId = "reader-" + Guid.NewGuid().ToString("N")[..8],
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
            })
            .Build();
        consumer.Subscribe(topic);
        var received = new List<ConsumeResult<string, GenericRecord>>();

        async Task DrainAsync(TimeSpan wait)
        {
            for (var result = consumer.Consume(wait); result is not null; result = consumer.Consume(wait))
            {
                var value = await deserializer.DeserializeAsync(result.Message.Value, isNull: false,
                    new SerializationContext(MessageComponentType.Value, topic, result.Message.Headers));
                received.Add(new ConsumeResult<string, GenericRecord>
                {
                    TopicPartitionOffset = result.TopicPartitionOffset,
                    Message = new Message<string, GenericRecord> { Key = result.Message.Key, Value = value, Headers = result.Message.Headers },
                });
            }
        }

        await Eventually.Until(async () =>
        {
            await DrainAsync(TimeSpan.FromMilliseconds(200));
            return received.Count;
        }, n => n >= expected, TimeSpan.FromSeconds(90), $"{expected} messages on {topic}");
        await DrainAsync(TimeSpan.FromMilliseconds(500)); // and nothing more is waiting
        consumer.Close();
        return received;
    }
}
