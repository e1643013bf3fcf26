using EventSourcing.SchemaTools.Compatibility;
using EventSourcing.SchemaTools.Parsing;

namespace EventSourcing.SchemaTools.Tests.Parsing;

public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("{\"type\": \"record\", \"name\": \"R\",\n  \"fields\": [ {\"name\": \"a\", \"type\": \"strin\"} ]}", 2, 37, "unknown type \"strin\"")]
    [InlineData("{\"type\": \"record\",\n \"name\": \"R\", \"fields\": [,]}", 2, 26, "invalid JSON")]
    [InlineData("{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"A\"], \"default\": \"B\"}", 1, 60, "the default \"B\" of enum E is not one of its symbols [A]")]
    [InlineData("{\"type\": \"fixed\", \"name\": \"F\"}", 1, 1, "a fixed schema needs a non-negative integer \"size\"")]
    [InlineData("[\"null\", [\"int\"]]", 1, 10, "a union may not immediately contain another union")]
    [InlineData("[\"int\", \"int\"]", 1, 9, "duplicate in union: int")]
    [InlineData("{\"type\": \"record\", \"name\": \"1R\", \"fields\": []}", 1, 28, "invalid name \"1R\"")]
    [InlineData("{\"type\": \"record\", \"name\": \"R\"}", 1, 1, "record R needs a \"fields\" array")]
    [InlineData("", 1, 1, "empty")]
    [InlineData("42", 1, 1, "expected a schema")]
    public void a_bad_schema_names_the_source_line_and_column(string json, int line, int column, string reason)
    {
        var error = Assert.Throws<SchemaParseException>(() => AvroSchema.Parse(json, "orders/v2.avsc"));

        Assert.Equal("orders/v2.avsc", error.Source);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"orders/v2.avsc({line},{column}): ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void the_string_overload_names_which_schema_is_broken()
    {
        var error = Assert.Throws<SchemaParseException>(() => SchemaCompatibility.Check(CompatibilityLevel.Backward, ["\"int\"", "\"nope\""], "\"long\""));

        Assert.Equal("previous[1]", error.Source);
    }

    [Fact]
    public void namespaces_aliases_and_references_resolve_like_java()
    {
        var schema = (RecordSchema)AvroSchema.Parse("""
            {"type":"record","name":"shop.Order","aliases":["Purchase","legacy.Sale"],"fields":[
              {"name":"a","type":{"type":"record","name":"Address","fields":[]}},
              {"name":"b","type":"Address"},
              {"name":"c","type":"shop.Address"},
              {"name":"d","type":{"type":"enum","name":"E","namespace":"","symbols":["X"]}},
              {"name":"e","type":"E"}]}
            """);

        Assert.Equal("shop.Order", schema.FullName);
        Assert.Equal(["shop.Purchase", "legacy.Sale"], schema.Aliases);
        Assert.Same(schema.Fields[0].Schema, schema.Fields[1].Schema);
        Assert.Same(schema.Fields[0].Schema, schema.Fields[2].Schema);
        Assert.Equal("shop.Address", ((NamedSchema)schema.Fields[0].Schema).FullName);
        Assert.Equal("E", ((NamedSchema)schema.Fields[3].Schema).FullName);
        Assert.Same(schema.Fields[3].Schema, schema.Fields[4].Schema);
    }
}
