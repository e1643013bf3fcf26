using EventSourcing.SchemaTools.Compatibility;
using static EventSourcing.SchemaTools.Tests.Compatibility.S;

namespace EventSourcing.SchemaTools.Tests.Compatibility;

/// <summary>The project's own table: every rule, every level, and each violation's path.</summary>
public sealed class CompatibilityRulesTests
{
    private static readonly string V1 = Record("Order", Field("id", Q("string")));
    private static readonly string V2AddedDefaulted = Record("Order", Field("id", Q("string")), Field("note", Q("string"), "\"\""));
    private static readonly string V2AddedRequired = Record("Order", Field("id", Q("string")), Field("total", Q("int")));
    private static readonly string V3RemovedId = Record("Order", Field("total", Q("int"), "0"));

    // name, level, previous (oldest first), candidate, expected rule (null = compatible), expected path
    public static TheoryData<string, string, string[], string, string?, string?> Table() => new()
    {
        // Promotions and primitive mismatches (BACKWARD: candidate reads the previous version).
        { "int promotes to long", "BACKWARD", [Q("int")], Q("long"), null, null },
        { "int promotes to float", "BACKWARD", [Q("int")], Q("float"), null, null },
        { "int promotes to double", "BACKWARD", [Q("int")], Q("double"), null, null },
        { "long promotes to float", "BACKWARD", [Q("long")], Q("float"), null, null },
        { "long promotes to double", "BACKWARD", [Q("long")], Q("double"), null, null },
        { "float promotes to double", "BACKWARD", [Q("float")], Q("double"), null, null },
        { "string reads bytes", "BACKWARD", [Q("bytes")], Q("string"), null, null },
        { "bytes reads string", "BACKWARD", [Q("string")], Q("bytes"), null, null },
        { "long does not narrow to int", "BACKWARD", [Q("long")], Q("int"), "TYPE_MISMATCH", "(root)" },
        { "double does not narrow to float", "BACKWARD", [Q("double")], Q("float"), "TYPE_MISMATCH", "(root)" },
        { "string is not int", "BACKWARD", [Q("string")], Q("int"), "TYPE_MISMATCH", "(root)" },
        { "boolean is not int", "BACKWARD", [Q("boolean")], Q("int"), "TYPE_MISMATCH", "(root)" },
        { "promotion is one way under FORWARD", "FORWARD", [Q("int")], Q("long"), "TYPE_MISMATCH", "(root)" },
        { "narrowing is forward compatible", "FORWARD", [Q("long")], Q("int"), null, null },
        { "string and bytes read each other both ways", "FULL", [Q("string")], Q("bytes"), null, null },
        { "decimal precision and scale are ignored", "BACKWARD",
            ["""{"type":"bytes","logicalType":"decimal","precision":28,"scale":8}"""], """{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}""", null, null },
        { "logical types are ignored", "FULL", [Q("long")], """{"type":"long","logicalType":"timestamp-micros"}""", null, null },

        // Records and defaults.
        { "added field with default", "BACKWARD", [V1], V2AddedDefaulted, null, null },
        { "added field without default", "BACKWARD", [V1], V2AddedRequired, "READER_FIELD_MISSING_DEFAULT_VALUE", "total" },
        { "added field without default is forward compatible", "FORWARD", [V1], V2AddedRequired, null, null },
        { "removed field without default breaks forward", "FORWARD", [V2AddedRequired], V1, "READER_FIELD_MISSING_DEFAULT_VALUE", "total" },
        { "removed field with default is fully compatible", "FULL", [V2AddedDefaulted], V1, null, null },
        { "removed field is backward compatible", "BACKWARD", [V2AddedRequired], V1, null, null },
        { "null default counts as a default", "BACKWARD", [V1], Record("Order", Field("id", Q("string")), Field("note", """["null","string"]""", "null")), null, null },
        { "nested field type change names the path", "BACKWARD",
            [Record("Order", Field("lines", Array(Record("Line", Field("qty", Q("long"))))))],
            Record("Order", Field("lines", Array(Record("Line", Field("qty", Q("int")))))), "TYPE_MISMATCH", "lines[].qty" },
        { "map value change names the path", "BACKWARD",
            [Record("Order", Field("tags", Map(Q("string"))))], Record("Order", Field("tags", Map(Q("int")))), "TYPE_MISMATCH", "tags{}" },
        { "array item promotion", "BACKWARD", [Array(Q("int"))], Array(Q("long")), null, null },
        { "array is not map", "BACKWARD", [Array(Q("int"))], Map(Q("int")), "TYPE_MISMATCH", "(root)" },

        // Names and aliases.
        { "record rename breaks", "BACKWARD", [Record("Order", Field("id", Q("string")))], Record("Purchase", Field("id", Q("string"))), "NAME_MISMATCH", "(root)" },
        { "namespace change is ignored", "FULL", [RecordNs("Order", "a", Field("id", Q("string")))], RecordNs("Order", "b", Field("id", Q("string"))), null, null },
        { "record rename with reader alias", "BACKWARD", [RecordNs("Order", "shop", Field("id", Q("string")))],
            """{"type":"record","name":"Purchase","namespace":"shop","aliases":["Order"],"fields":[{"name":"id","type":"string"}]}""", null, null },
        { "writer alias never helps", "BACKWARD", [RecordAliased("Order", "Purchase", Field("id", Q("string")))], Record("Purchase", Field("id", Q("string"))), "NAME_MISMATCH", "(root)" },
        { "field rename with reader alias", "BACKWARD", [V1], Record("Order", AliasedField("orderId", "id", Q("string"))), null, null },
        { "field rename without alias", "BACKWARD", [V1], Record("Order", Field("orderId", Q("string"))), "READER_FIELD_MISSING_DEFAULT_VALUE", "orderId" },
        { "field alias matching two writer fields is ambiguous", "BACKWARD",
            [Record("Order", Field("id", Q("string")), Field("orderId", Q("string")))], Record("Order", AliasedField("id", "orderId", Q("string"))), "AMBIGUOUS_FIELD_ALIAS", "id" },

        // Enums.
        { "enum symbol added is backward compatible", "BACKWARD", [Enum("Status", "A", "B")], Enum("Status", "A", "B", "C"), null, null },
        { "enum symbol removed breaks backward", "BACKWARD", [Enum("Status", "A", "B", "C")], Enum("Status", "A", "B"), "MISSING_ENUM_SYMBOLS", "(root)" },
        { "enum symbol added breaks forward", "FORWARD", [Enum("Status", "A", "B")], Enum("Status", "A", "B", "C"), "MISSING_ENUM_SYMBOLS", "(root)" },
        { "enum default covers unknown symbols", "FORWARD", [EnumWithDefault("Status", "A", "A", "B")], Enum("Status", "A", "B", "C"), null, null },
        { "a field default does not replace an enum default", "BACKWARD",
            [Record("R", Field("s", Enum("Status", "A", "B", "C")))], Record("R", Field("s", Enum("Status", "A", "B"), "\"A\"")), "MISSING_ENUM_SYMBOLS", "s" },

        // Fixed.
        { "fixed size change", "BACKWARD", [Fixed("Hash", 16)], Fixed("Hash", 32), "FIXED_SIZE_MISMATCH", "(root)" },
        { "fixed rename", "BACKWARD", [Fixed("Hash", 16)], Fixed("Digest", 16), "NAME_MISMATCH", "(root)" },

        // Unions.
        { "making a field optional is backward compatible", "BACKWARD", [Record("R", Field("a", Q("string")))], Record("R", Field("a", """["null","string"]""", "null")), null, null },
        { "making a field optional breaks forward", "FORWARD", [Record("R", Field("a", Q("string")))], Record("R", Field("a", """["null","string"]""", "null")), "TYPE_MISMATCH", "a|null" },
        { "making an optional field required breaks backward", "BACKWARD", [Record("R", Field("a", """["null","string"]""", "null"))], Record("R", Field("a", Q("string"))), "TYPE_MISMATCH", "a|null" },
        { "union branch removed", "BACKWARD", ["""["null","string","int"]"""], """["null","string"]""", "MISSING_UNION_BRANCH", "|int" },
        { "reader union reads a promoted writer", "BACKWARD", [Q("int")], """["null","long"]""", null, null },
        { "reader union lacking the writer type", "BACKWARD", [Q("boolean")], """["null","long"]""", "MISSING_UNION_BRANCH", "(root)" },
        { "single-branch union equals its branch", "FULL", ["""["int"]"""], Q("int"), null, null },

        // Recursion terminates.
        { "recursive list", "FULL",
            [Record("Node", Field("value", Q("int")), Field("next", """["null","Node"]""", "null"))],
            Record("Node", Field("value", Q("long")), Field("next", """["null","Node"]""", "null")), "TYPE_MISMATCH", "value" },

        // Levels: latest only versus transitive, and NONE.
        { "BACKWARD checks only the latest", "BACKWARD", [V2AddedRequired, V3RemovedId], V3RemovedId, null, null },
        { "BACKWARD_TRANSITIVE finds the older break", "BACKWARD_TRANSITIVE", [V1, V2AddedDefaulted], V3RemovedId.Replace(",\"default\":0", "", StringComparison.Ordinal), "READER_FIELD_MISSING_DEFAULT_VALUE", "total" },
        { "FORWARD checks only the latest", "FORWARD", [V2AddedRequired, V1], V1, null, null },
        { "FORWARD_TRANSITIVE finds the older break", "FORWARD_TRANSITIVE", [V2AddedRequired, V1], V1, "READER_FIELD_MISSING_DEFAULT_VALUE", "total" },
        { "FULL needs both directions", "FULL", [V1], V2AddedRequired, "READER_FIELD_MISSING_DEFAULT_VALUE", "total" },
        { "FULL accepts a defaulted addition", "FULL", [V1], V2AddedDefaulted, null, null },
        { "FULL_TRANSITIVE finds the older break", "FULL_TRANSITIVE", [V2AddedRequired, V1], V2AddedDefaulted.Replace("note", "x", StringComparison.Ordinal), "READER_FIELD_MISSING_DEFAULT_VALUE", "total" },
        { "NONE accepts anything", "NONE", [Q("string")], Q("int"), null, null },
        { "no previous version is compatible", "FULL_TRANSITIVE", [], Q("int"), null, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void rule(string name, string level, string[] previous, string candidate, string? expectedRule, string? expectedPath)
    {
        var result = SchemaCompatibility.Check(CompatibilityLevels.Parse(level), previous, candidate);

        if (expectedRule is null)
        {
            Assert.True(result.IsCompatible, $"{name}: {string.Join("; ", result.Violations)}");
            return;
        }

        Assert.False(result.IsCompatible, $"{name}: expected {expectedRule}");
        Assert.Contains(result.Violations, v => v.RuleName == expectedRule && v.Path == expectedPath);
    }

    [Fact]
    public void transitive_violation_names_the_older_version_and_the_direction()
    {
        var result = SchemaCompatibility.Check(CompatibilityLevel.ForwardTransitive, [V2AddedRequired, V1], V1);

        var violation = Assert.Single(result.Violations);
        Assert.Equal(0, violation.PreviousIndex);
        Assert.Equal(CompatibilityDirection.Forward, violation.Direction);
        Assert.Equal("total: READER_FIELD_MISSING_DEFAULT_VALUE: reader field 'total' of Order has no default and the writer's Order has no field of that name or alias (previous[0] cannot read data written with the new schema)", violation.ToString());
    }

    [Fact]
    public void apache_avro_schema_objects_are_checked_the_same_way()
    {
        var previous = Avro.Schema.Parse(V1);
        var candidate = Avro.Schema.Parse(V2AddedRequired);

        Assert.True(SchemaCompatibility.Check(CompatibilityLevel.Forward, [previous], candidate).IsCompatible);
        Assert.False(SchemaCompatibility.Check(CompatibilityLevel.Backward, [previous], candidate).IsCompatible);
    }

    [Fact]
    public void apache_avro_schema_objects_keep_aliases_and_enum_defaults()
    {
        var previous = Avro.Schema.Parse(Record("R", Field("s", Enum("Status", "A", "B", "C"))));
        var candidate = Avro.Schema.Parse(RecordAliased("Renamed", "R", AliasedField("status", "s", EnumWithDefault("Status", "A", "A", "B"))));

        Assert.True(SchemaCompatibility.Check(CompatibilityLevel.Backward, [previous], candidate).IsCompatible);
    }
}
