using Confluent.Kafka;
using Confluent.SchemaRegistry;
using EventSourcing.Projections.Kafka.Contracts;
using EventSourcing.Projections.Kafka.Options;
using EventSourcing.Projections.Kafka.Publishing;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.Projections.Tests.Kafka;

public sealed class PublisherStartupTests(PostgresFixture postgres, KafkaFixture kafka)
    : KafkaTestBase(postgres, kafka), IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task in_production_mode_a_publisher_refuses_to_start_naming_the_subject_missing_from_the_registry()
    {
        using var registry = NewRegistry();
        var contracts = TestContracts.Publisher();
        foreach (var contract in contracts.All.Where(c => c.Name != "order.shipped"))
            await registry.RegisterSchemaAsync(contract.Subject, new Schema(contract.Schema.ToString(), SchemaType.Avro));
        var options = PublisherHost.DefaultOptions(Kafka) with { AutoRegisterSchemas = false };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new EventMessageFactory(TestContracts.Events(), contracts, registry, options).VerifySchemasAsync(Ct));

        Assert.Contains("'order.shipped' is not registered", error.Message, StringComparison.Ordinal);
        Assert.Contains("schema-tools register", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task in_production_mode_a_registered_subject_without_the_current_schema_is_named_with_the_event_version()
    {
        using var registry = NewRegistry();
        var contracts = TestContracts.Publisher();
        foreach (var contract in contracts.All)
            await registry.RegisterSchemaAsync(contract.Subject, new Schema(
                contract.Name == "order.shipped" ? EventContract.Generate(typeof(OrderShippedV2)).Schema.ToString() : contract.Schema.ToString(), SchemaType.Avro));
        var options = PublisherHost.DefaultOptions(Kafka) with { AutoRegisterSchemas = false };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new EventMessageFactory(TestContracts.Events(), contracts, registry, options).VerifySchemasAsync(Ct));

        Assert.Contains("'order.shipped' has no version equal to the current schema of order.shipped v1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void options_are_validated_with_messages_naming_the_setting_and_secrets_never_print()
    {
        var missing = Assert.Throws<ArgumentException>(() => new KafkaPublisherOptions().Validate());
        var sasl = Assert.Throws<ArgumentException>(() => new KafkaPublisherOptions
        {
            Kafka = new KafkaClientOptions { BootstrapServers = "b:9092", SecurityProtocol = SecurityProtocol.SaslSsl, SaslMechanism = SaslMechanism.ScramSha512, SaslUsername = "svc" },
        }.Validate());
        var options = new KafkaPublisherOptions
        {
            Kafka = new KafkaClientOptions
            {
                BootstrapServers = "b:9092", SecurityProtocol = SecurityProtocol.SaslSsl, SaslMechanism = SaslMechanism.Plain,
                SaslUsername = "svc", SaslPassword = "hunter2", Settings = new Dictionary<string, string> { ["ssl.key.password"] = "s3cret", ["client.id"] = "orders" },
            },
            SchemaRegistry = new SchemaRegistryOptions { Url = new Uri("https://registry:8081"), BasicAuthUserInfo = "reg:t0ps3cret" },
        }.Validate();

        Assert.Contains("KafkaPublisher.Kafka.BootstrapServers is required", missing.Message, StringComparison.Ordinal);
        Assert.Contains("KafkaPublisher.Kafka.SaslPassword", sasl.Message, StringComparison.Ordinal);
        var printed = options.ToString();
        Assert.DoesNotContain("hunter2", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("t0ps3cret", printed, StringComparison.Ordinal);
        Assert.Contains("client.id=orders", printed, StringComparison.Ordinal);
        var config = KafkaEventProducer.CreateConfig(options);
        Assert.Equal((true, Acks.All, "hunter2"), (config.EnableIdempotence, config.Acks, config.SaslPassword));
    }
}
