using EventSourcing.SchemaTools.Compatibility;
using EventSourcing.SchemaTools.Parsing;

namespace EventSourcing.SchemaTools.Tests.Compatibility;

/// <summary>Would stored JSON of the old schema bind, by name, to the new one? Each row: old fields, new fields, the breaks.</summary>
public sealed class StoredJsonBindingTests
{
    private static AvroSchema Record(string fields) =>
        AvroSchema.Parse($$"""{"type":"record","name":"received","namespace":"inventory","fields":[{{fields}}]}""");

    private static IReadOnlyList<(string Path, JsonBindingBreakKind Kind)> Breaks(string stored, string current) =>
        StoredJsonBinding.Check(Record(current), Record(stored)).Select(b => (b.Path, b.Kind)).ToList();

    [Theory]
    [InlineData("a field added with a default", """{"name":"sku","type":"string"}""", """{"name":"sku","type":"string"},{"name":"note","type":["null","string"],"default":null}""")]
    [InlineData("a field removed", """{"name":"sku","type":"string"},{"name":"note","type":"string"}""", """{"name":"sku","type":"string"}""")]
    [InlineData("int widened to long", """{"name":"qty","type":"int"}""", """{"name":"qty","type":"long"}""")]
    [InlineData("T made nullable", """{"name":"qty","type":"int"}""", """{"name":"qty","type":["null","int"],"default":null}""")]
    [InlineData("an enum symbol added", """{"name":"unit","type":{"type":"enum","name":"Unit","symbols":["Kg"]}}""", """{"name":"unit","type":{"type":"enum","name":"Unit","symbols":["Kg","Piece"]}}""")]
    [InlineData("a nested record renamed (JSON has no record names)", """{"name":"at","type":{"type":"record","name":"Place","fields":[{"name":"bin","type":"string"}]}}""", """{"name":"at","type":{"type":"record","name":"Location","fields":[{"name":"bin","type":"string"}]}}""")]
    [InlineData("decimal precision changed (a JSON number either way)", """{"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}}""", """{"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":28,"scale":8}}""")]
    public void binds(string change, string stored, string current) =>
        Assert.True(Breaks(stored, current).Count == 0, change);

    [Fact]
    public void a_rename_through_an_avro_alias_does_not_bind()
    {
        var breaks = StoredJsonBinding.Check(Record("""{"name":"quantity","type":"int","aliases":["qty"]}"""), Record("""{"name":"qty","type":"int"}"""));

        var only = Assert.Single(breaks);
        Assert.Equal(("quantity", JsonBindingBreakKind.Renamed, "quantity", "qty"), (only.Path, only.Kind, only.Field, only.StoredAs));
    }

    [Fact]
    public void a_rename_to_a_field_with_a_default_is_still_a_rename_not_an_added_field() =>
        Assert.Equal([("quantity", JsonBindingBreakKind.Renamed)], Breaks("""{"name":"qty","type":"int"}""", """{"name":"quantity","type":"int","aliases":["qty"],"default":0}"""));

    [Theory]
    [InlineData("""{"name":"qty","type":"long"}""", """{"name":"qty","type":"int"}""")]
    [InlineData("""{"name":"qty","type":"int"}""", """{"name":"qty","type":"string"}""")]
    [InlineData("""{"name":"qty","type":"string"}""", """{"name":"qty","type":"bytes"}""")]
    [InlineData("""{"name":"at","type":"long"}""", """{"name":"at","type":{"type":"long","logicalType":"timestamp-micros"}}""")]
    [InlineData("""{"name":"qty","type":"int"}""", """{"name":"qty","type":{"type":"record","name":"Measure","fields":[{"name":"amount","type":"int"}]}}""")]
    [InlineData("""{"name":"unit","type":{"type":"enum","name":"Unit","symbols":["Kg","Piece"],"default":"Kg"}}""", """{"name":"unit","type":{"type":"enum","name":"Unit","symbols":["Kg"],"default":"Kg"}}""")]
    public void a_retype_does_not_bind(string stored, string current) =>
        Assert.Equal(JsonBindingBreakKind.Retyped, Assert.Single(Breaks(stored, current)).Kind);

    [Fact]
    public void a_new_required_field_and_a_field_made_required_do_not_bind()
    {
        Assert.Equal([("channel", JsonBindingBreakKind.Missing)], Breaks("""{"name":"sku","type":"string"}""", """{"name":"sku","type":"string"},{"name":"channel","type":"string"}"""));
        Assert.Equal([("note", JsonBindingBreakKind.NowRequired)], Breaks("""{"name":"note","type":["null","string"],"default":null}""", """{"name":"note","type":"string"}"""));
    }

    [Fact]
    public void a_break_inside_array_items_names_the_path() =>
        Assert.Equal([("lines[].quantity", JsonBindingBreakKind.Renamed)], Breaks(
            """{"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[{"name":"qty","type":"int"}]}}}""",
            """{"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[{"name":"quantity","type":"int","aliases":["qty"]}]}}}"""));
}
