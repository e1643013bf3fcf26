using Avro.Generic;
using Avro.IO;
using EventSourcing.EventStore.Naming;
using EventSourcing.Projections.Kafka.AvroMapping;
using EventSourcing.Projections.Kafka.Contracts;

namespace EventSourcing.Projections.Tests.Kafka.AvroMapping;

public enum Priority { Low, Normal, Urgent }

public sealed record Address(string Street, string City);

[EventName("mapping.everything")]
public sealed record Everything(
    Guid Id,
    string Name,
    bool Flag,
    int Count,
    long Big,
    float Ratio,
    double Precise,
    decimal Price,
    DateTimeOffset At,
    DateOnly Day,
    TimeOnly Time,
    Priority Priority,
    string? Note,
    int? Maybe,
    IReadOnlyList<string> Tags,
    Dictionary<string, int> Counts,
    Address Shipping,
    IReadOnlyList<Address> History,
    Address? Billing);

public sealed class AvroMappingTests
{
    [Fact]
    public void every_supported_member_round_trips_through_the_generated_schema_and_avro_binary()
    {
        var contract = EventContract.Generate(typeof(Everything));
        var original = new Everything(
            Guid.NewGuid(), "n", true, 7, 1L << 40, 0.5f, 3.25, 1234.56789012m,
            new DateTimeOffset(2026, 11, 26, 5, 30, 15, 123, TimeSpan.Zero), new DateOnly(2026, 11, 26), new TimeOnly(5, 30, 15),
            Priority.Urgent, null, 42, ["a", "b"], new Dictionary<string, int> { ["x"] = 1 },
            new Address("Main 1", "Springfield"), [new Address("Old 2", "Shelbyville")], null);

        var record = AvroValueWriter.ToRecord(original, contract.Schema);
        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(contract.Schema).Write(record, new BinaryEncoder(stream));
        stream.Position = 0;
        var read = new GenericDatumReader<GenericRecord>(contract.Schema, contract.Schema).Read(null!, new BinaryDecoder(stream));
        var back = AvroValueReader.FromRecord<Everything>(read);

        IReadOnlyList<string> tags = [];
        Dictionary<string, int> counts = [];
        IReadOnlyList<Address> history = [];
        Assert.Equal(original with { Tags = tags, Counts = counts, History = history }, back with { Tags = tags, Counts = counts, History = history });
        Assert.Equal(original.Tags, back.Tags);
        Assert.Equal(original.Counts, back.Counts);
        Assert.Equal(original.History, back.History);
    }

    [Fact]
    public void a_null_for_a_field_that_is_not_nullable_is_an_error_naming_the_field()
    {
        var contract = EventContract.Generate(typeof(Everything));
        var broken = new Everything(Guid.NewGuid(), null!, true, 1, 1, 1, 1, 1, DateTimeOffset.UnixEpoch, default, default, Priority.Low,
            null, null, [], [], new Address("s", "c"), [], null);

        var error = Assert.Throws<Avro.AvroException>(() => AvroValueWriter.ToRecord(broken, contract.Schema));

        Assert.Contains("mapping.everything.name", error.Message, StringComparison.Ordinal);
    }
}
