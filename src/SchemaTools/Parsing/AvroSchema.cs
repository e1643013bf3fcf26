namespace EventSourcing.SchemaTools.Parsing;

/// <summary>The Avro schema types, as named in the specification.</summary>
public enum AvroType { Null, Boolean, Int, Long, Float, Double, Bytes, String, Record, Enum, Fixed, Array, Map, Union }

/// <summary>
/// A parsed Avro schema. Instances are compared by reference: a recursive record is one object
/// reachable from itself, which is what lets the checker stop on cycles.
/// </summary>
public abstract class AvroSchema
{
    public abstract AvroType Type { get; }

    /// <summary>The logical type annotation, if any. The compatibility rules ignore it, as Java's do.</summary>
    public string? LogicalType { get; init; }

    /// <summary>Parses one Avro schema from JSON text; errors name <paramref name="source"/> and the position.</summary>
    public static AvroSchema Parse(string json, string source = "<schema>") => AvroSchemaParser.Parse(json, source);

    public override string ToString() => Type.ToString().ToLowerInvariant();
}

public sealed class PrimitiveSchema : AvroSchema
{
    public PrimitiveSchema(AvroType type) => Type = type;

    public override AvroType Type { get; }
}

/// <summary>A record, enum or fixed: a type with a name, a namespace and aliases.</summary>
public abstract class NamedSchema : AvroSchema
{
    protected NamedSchema(string name, string? space, IReadOnlyList<string> aliases)
    {
        Name = name;
        Namespace = string.IsNullOrEmpty(space) ? null : space;
        Aliases = aliases;
    }

    /// <summary>The unqualified name (the part Java's checker compares).</summary>
    public string Name { get; }

    public string? Namespace { get; }

    public string FullName => Namespace is null ? Name : $"{Namespace}.{Name}";

    /// <summary>Aliases, each resolved to a full name against this type's namespace.</summary>
    public IReadOnlyList<string> Aliases { get; }

    public override string ToString() => FullName;
}

public sealed class RecordSchema : NamedSchema
{
    private readonly List<AvroField> _fields = [];

    public RecordSchema(string name, string? space, IReadOnlyList<string> aliases)
        : base(name, space, aliases)
    {
    }

    public override AvroType Type => AvroType.Record;

    public IReadOnlyList<AvroField> Fields => _fields;

    public AvroField? Field(string name) => _fields.Find(f => f.Name == name);

    internal void Add(AvroField field) => _fields.Add(field);
}

/// <param name="HasDefault">True when the field declares a default (a JSON null default counts).</param>
public sealed record AvroField(string Name, AvroSchema Schema, bool HasDefault, IReadOnlyList<string> Aliases, int Position);

public sealed class EnumSchema : NamedSchema
{
    public EnumSchema(string name, string? space, IReadOnlyList<string> aliases, IReadOnlyList<string> symbols, string? defaultSymbol)
        : base(name, space, aliases)
    {
        Symbols = symbols;
        Default = defaultSymbol;
    }

    public override AvroType Type => AvroType.Enum;

    public IReadOnlyList<string> Symbols { get; }

    /// <summary>The enum-level default symbol used for unknown writer symbols (not a field default).</summary>
    public string? Default { get; }
}

public sealed class FixedSchema : NamedSchema
{
    public FixedSchema(string name, string? space, IReadOnlyList<string> aliases, int size)
        : base(name, space, aliases) => Size = size;

    public override AvroType Type => AvroType.Fixed;

    public int Size { get; }
}

public sealed class ArraySchema(AvroSchema items) : AvroSchema
{
    public override AvroType Type => AvroType.Array;

    public AvroSchema Items { get; } = items;
}

public sealed class MapSchema(AvroSchema values) : AvroSchema
{
    public override AvroType Type => AvroType.Map;

    public AvroSchema Values { get; } = values;
}

public sealed class UnionSchema(IReadOnlyList<AvroSchema> branches) : AvroSchema
{
    public override AvroType Type => AvroType.Union;

    public IReadOnlyList<AvroSchema> Branches { get; } = branches;
}
