using EventSourcing.Projections.Kafka.Consuming;
using EventSourcing.Projections.Kafka.Contracts;
using EventSourcing.Projections.Kafka.Options;
using EventSourcing.SchemaTools.Registry;
using EventSourcing.TestInfrastructure;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventSourcing.Projections.Tests.Kafka;

public abstract class KafkaTestBase(PostgresFixture postgres, KafkaFixture kafka) : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(5));

    protected PostgresFixture Postgres { get; } = postgres;

    protected KafkaFixture Kafka { get; } = kafka;

    protected CancellationToken Ct => _timeout.Token;

    public void Dispose()
    {
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }

    protected PostgresSchemaRegistryClient NewRegistry(string? schema = null) =>
        new(Postgres.DataSource, new EmbeddedSchemaRegistryOptions { DatabaseSchema = schema ?? Postgres.NewSchemaName() }, TestGates.Checker());

    /// <summary>Appends <paramref name="perOrder"/> events to each of <paramref name="orders"/> new order streams, interleaved across orders.</summary>
    protected static async Task<List<Guid>> AppendOrdersAsync(IDocumentStore store, int orders, int perOrder, CancellationToken ct)
    {
        var ids = Enumerable.Range(0, orders).Select(_ => Guid.NewGuid()).ToList();
        for (var round = 0; round < perOrder; round++)
        {
            foreach (var chunk in ids.Chunk(100))
            {
                await using var session = store.LightweightSession();
                foreach (var id in chunk)
                {
                    object e = round switch
                    {
                        0 => new OrderPlaced(id, "c-" + id.ToString("N")[..6], 10.25m + round, new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero)),
                        _ when round == perOrder - 1 => new OrderShipped(id, "dhl"),
                        _ => new OrderLineAdded(id, "sku-" + round, round),
                    };
                    session.Events.Append(id, e);
                }

                await session.SaveChangesAsync(ct);
            }
        }

        return ids;
    }

    protected KafkaProjectionRunner NewRunner(PostgresSchemaRegistryClient registry, EventContracts contracts, IKafkaEventHandler handler, string topic, string? group = null) =>
        new(new KafkaConsumerOptions
            {
                Kafka = new KafkaClientOptions { BootstrapServers = Kafka.BootstrapServers },
                GroupId = group ?? "g-" + Guid.NewGuid().ToString("N")[..8],
                Topics = [topic],
                RetryBackoff = TimeSpan.FromMilliseconds(50),
            },
            new AvroEventDecoder(registry, contracts), handler, NullLogger<KafkaProjectionRunner>.Instance);
}
