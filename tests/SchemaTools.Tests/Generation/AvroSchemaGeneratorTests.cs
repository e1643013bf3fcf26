using EventSourcing.SchemaTools.Compatibility;
using EventSourcing.SchemaTools.Generation;
using EventSourcing.SchemaTools.Parsing;
using Snapshooter.Xunit;

namespace EventSourcing.SchemaTools.Tests.Generation;

public sealed class AvroSchemaGeneratorTests
{
    [Fact]
    public void an_order_event_maps_every_member() =>
        Snapshot.Match(AvroSchemaGenerator.Generate(typeof(OrderPlaced)));

    [Fact]
    public void every_supported_type_maps_as_documented() =>
        Snapshot.Match(AvroSchemaGenerator.Generate(typeof(AllTypes)));

    [Fact]
    public void recursive_records_are_named_once_and_referenced_after() =>
        Snapshot.Match(AvroSchemaGenerator.Generate(typeof(CategoryDefined)));

    [Theory]
    [InlineData(typeof(OrderPlaced))]
    [InlineData(typeof(AllTypes))]
    [InlineData(typeof(CategoryDefined))]
    public void output_is_byte_identical_on_every_run_and_parses_with_both_parsers(Type type)
    {
        var first = AvroSchemaGenerator.Generate(type);
        var second = AvroSchemaGenerator.Generate(type);

        Assert.Equal(first, second);
        Assert.EndsWith("}\n", first, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", first, StringComparison.Ordinal);
        Assert.IsType<RecordSchema>(AvroSchema.Parse(first));
        Assert.NotNull(Avro.Schema.Parse(first));
    }

    [Fact]
    public void the_record_full_name_is_the_event_name()
    {
        var schema = (RecordSchema)AvroSchema.Parse(AvroSchemaGenerator.Generate(typeof(OrderPlaced)));

        Assert.Equal("order.placed", schema.FullName);
        Assert.Equal("catalog.category_defined", AvroNaming.FullName("catalog.category-defined"));
    }

    [Fact]
    public void a_generated_schema_is_compatible_with_itself_under_full_transitive()
    {
        var json = AvroSchemaGenerator.Generate(typeof(OrderPlaced));

        Assert.True(SchemaCompatibility.Check(CompatibilityLevel.FullTransitive, [json, json], json).IsCompatible);
    }

    [Theory]
    [InlineData(typeof(BadDictionary), "BadDictionary.ByNumber: Avro maps have string keys, but this dictionary's key is Int32.")]
    [InlineData(typeof(BadObject), "BadObject.Anything: System.Object has no Avro mapping")]
    public void an_unmappable_member_is_an_error_naming_it(Type type, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => AvroSchemaGenerator.Generate(type));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_type_without_an_event_name_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => AvroSchemaGenerator.Generate(typeof(NoEventName)));

        Assert.Contains("has no [EventName", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void scanning_an_assembly_finds_event_types_with_name_and_version()
    {
        var events = EventType.Scan(typeof(OrderPlaced).Assembly);

        Assert.Contains(new EventType(typeof(OrderPlaced), "order.placed", 2), events);
        Assert.Contains(new EventType(typeof(AllTypes), "shop.all-types", 1), events);
        Assert.DoesNotContain(events, e => e.ClrType == typeof(NoEventName));
    }
}
