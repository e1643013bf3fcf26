using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using EventSourcing.SchemaTools.Registry;
using EventSourcing.TestInfrastructure;
using Schema = Confluent.SchemaRegistry.Schema;

namespace EventSourcing.SchemaTools.Tests.Registry;

/// <summary>Confluent's own AvroSerializer and AvroDeserializer, end to end against the embedded registry.</summary>
public sealed class ConfluentAvroSerdeTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly SerializationContext Value = new(MessageComponentType.Value, "order-events");

    private PostgresSchemaRegistryClient NewClient(ISchemaCompatibilityGate gate) =>
        new(postgres.DataSource, new EmbeddedSchemaRegistryOptions { DatabaseSchema = postgres.NewSchemaName() }, gate);

    private static GenericRecord V1(string orderId, long amount)
    {
        var record = new GenericRecord((RecordSchema)Avro.Schema.Parse(Schemas.OrderPlacedV1));
        record.Add("orderId", orderId);
        record.Add("amount", amount);
        return record;
    }

    [Fact]
    public async Task a_v1_message_read_by_a_v2_specific_reader_gets_the_default_of_the_added_field()
    {
        using var registry = NewClient(RegistryGates.Checker());
        var serializer = new AvroSerializer<GenericRecord>(registry, new AvroSerializerConfig
        {
            AutoRegisterSchemas = true, SubjectNameStrategy = SubjectNameStrategy.Record,
        });
        var bytes = await serializer.SerializeAsync(V1("o-1", 1250), Value);
        await registry.RegisterSchemaAsync("orders.OrderPlaced", new Schema(Schemas.OrderPlacedV2, SchemaType.Avro));

        var deserializer = new AvroDeserializer<OrderPlacedV2Record>(registry, new AvroDeserializerConfig { SubjectNameStrategy = SubjectNameStrategy.Record });
        var read = await deserializer.DeserializeAsync(bytes, isNull: false, Value);

        Assert.Equal(0, bytes[0]); // Confluent wire framing: magic byte, then the schema id
        var v1Id = await registry.GetSchemaIdAsync("orders.OrderPlaced", new Schema(Schemas.OrderPlacedV1, SchemaType.Avro));
        Assert.Equal(v1Id, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)));
        Assert.Equal(("o-1", 1250L, "EUR"), (read.OrderId, read.Amount, read.Currency));
    }

    [Fact]
    public async Task a_v1_message_read_by_a_generic_reader_on_the_latest_version_gets_the_default()
    {
        using var registry = NewClient(RegistryGates.Checker());
        var serializer = new AvroSerializer<GenericRecord>(registry, new AvroSerializerConfig
        {
            AutoRegisterSchemas = true, SubjectNameStrategy = SubjectNameStrategy.Record,
        });
        var bytes = await serializer.SerializeAsync(V1("o-2", 99), Value);
        await registry.RegisterSchemaAsync("orders.OrderPlaced", new Schema(Schemas.OrderPlacedV2, SchemaType.Avro));

        var deserializer = new AvroDeserializer<GenericRecord>(registry, new AvroDeserializerConfig
        {
            SubjectNameStrategy = SubjectNameStrategy.Record, UseLatestVersion = true,
        });
        var read = await deserializer.DeserializeAsync(bytes, isNull: false, Value);

        Assert.Equal(3, read.Schema.Fields.Count);
        Assert.Equal(("o-2", 99L, "EUR"), ((string)read["orderId"], (long)read["amount"], (string)read["currency"]));
    }

    [Fact]
    public async Task a_serializer_that_may_not_register_fails_naming_the_missing_subject()
    {
        using var registry = NewClient(RegistryGates.Checker());
        var serializer = new AvroSerializer<GenericRecord>(registry, new AvroSerializerConfig
        {
            AutoRegisterSchemas = false, SubjectNameStrategy = SubjectNameStrategy.Record,
        });

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => serializer.SerializeAsync(V1("o-3", 1), Value));

        Assert.Equal(40401, error.ErrorCode);
        Assert.Contains("'orders.OrderPlaced'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_v2_that_breaks_backward_is_refused_by_the_serializer_with_the_checkers_violation()
    {
        using var registry = NewClient(RegistryGates.Checker());
        var v1 = new AvroSerializer<GenericRecord>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true, SubjectNameStrategy = SubjectNameStrategy.Record });
        await v1.SerializeAsync(V1("o-4", 5), Value);

        var breaking = new GenericRecord((RecordSchema)Avro.Schema.Parse(Schemas.OrderPlacedV2Breaking));
        breaking.Add("orderId", "o-5");
        breaking.Add("amount", 7L);
        breaking.Add("currency", "USD");
        var v2 = new AvroSerializer<GenericRecord>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true, SubjectNameStrategy = SubjectNameStrategy.Record });
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => v2.SerializeAsync(breaking, Value));

        Assert.Equal(409, error.ErrorCode);
        Assert.Contains("'orders.OrderPlaced' under BACKWARD", error.Message, StringComparison.Ordinal);
        Assert.Contains("currency: READER_FIELD_MISSING_DEFAULT_VALUE", error.Message, StringComparison.Ordinal);
        Assert.Equal([1], await registry.GetSubjectVersionsAsync("orders.OrderPlaced"));
    }

    [Fact]
    public async Task under_backward_transitive_a_v3_that_only_breaks_v1_is_refused_and_under_backward_it_is_accepted()
    {
        // v1 {orderId, amount}; v2 adds currency with a default; v3 drops the default: v3 reads v2 data, not v1 data.
        using var transitive = NewClient(RegistryGates.Checker());
        using var latestOnly = NewClient(RegistryGates.Checker());
        await transitive.UpdateCompatibilityAsync(Confluent.SchemaRegistry.Compatibility.BackwardTransitive, "orders.OrderPlaced");
        foreach (var registry in new[] { transitive, latestOnly })
        {
            await registry.RegisterSchemaAsync("orders.OrderPlaced", new Schema(Schemas.OrderPlacedV1, SchemaType.Avro));
            await registry.RegisterSchemaAsync("orders.OrderPlaced", new Schema(Schemas.OrderPlacedV2, SchemaType.Avro));
        }

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() =>
            transitive.RegisterSchemaAsync("orders.OrderPlaced", new Schema(Schemas.OrderPlacedV2Breaking, SchemaType.Avro)));
        var accepted = await latestOnly.RegisterSchemaWithResponseAsync("orders.OrderPlaced", new Schema(Schemas.OrderPlacedV2Breaking, SchemaType.Avro));

        Assert.Contains("BACKWARD_TRANSITIVE", error.Message, StringComparison.Ordinal);
        Assert.Contains("previous[0]", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, accepted.Version);
    }
}
