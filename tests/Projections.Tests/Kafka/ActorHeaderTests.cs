using Confluent.Kafka;
using EventSourcing.EventStore;
using EventSourcing.Projections.Kafka;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.Projections.Tests.Kafka;

public sealed class ActorHeaderTests(PostgresFixture postgres, KafkaFixture kafka)
    : KafkaTestBase(postgres, kafka), IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task the_actor_and_client_id_stored_with_an_event_travel_as_kafka_headers()
    {
        using var registry = NewRegistry();
        var options = PublisherHost.DefaultOptions(Kafka) with { Topics = new Dictionary<string, string> { ["order"] = "orders-actor" } };
        await using var host = await PublisherHost.StartAsync(Postgres.NewSchemaName(), Postgres.ConnectionString, options, registry, TestContracts.Publisher(), Ct);
        var byAlice = Guid.NewGuid();
        var anonymous = Guid.NewGuid();
        await using (var session = host.Store.LightweightSession())
        {
            foreach (var (name, value) in ActorHeaders.For("alice", "shop-web"))
                session.SetHeader(name, value);
            session.Events.Append(byAlice, new OrderPlaced(byAlice, "c-1", 10m, DateTimeOffset.UtcNow));
            await session.SaveChangesAsync(Ct);
        }

        await using (var session = host.Store.LightweightSession())
        {
            session.Events.Append(anonymous, new OrderPlaced(anonymous, "c-2", 10m, DateTimeOffset.UtcNow));
            await session.SaveChangesAsync(Ct);
        }

        await host.WaitForCheckpointAsync(await host.HighWaterAsync(Ct), Ct);
        var headers = Consume("orders-actor", expected: 2);

        Assert.Equal("alice", EventHeaders.Read(headers[byAlice.ToString()], EventHeaders.Actor));
        Assert.Equal("shop-web", EventHeaders.Read(headers[byAlice.ToString()], EventHeaders.ClientId));
        Assert.Null(EventHeaders.Read(headers[anonymous.ToString()], EventHeaders.Actor));
        Assert.Null(EventHeaders.Read(headers[anonymous.ToString()], EventHeaders.ClientId));
    }

    private Dictionary<string, Headers> Consume(string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = Kafka.BootstrapServers,
            GroupId = "actor-" + Guid.NewGuid().ToString("N")[..8],
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var received = new Dictionary<string, Headers>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (received.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { Message: { } message })
                received[message.Key] = message.Headers;
        }

        consumer.Close();
        return received;
    }
}
