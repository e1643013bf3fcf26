namespace EventSourcing.SchemaTools.Parsing;

/// <summary>
/// Parses Avro schema JSON the way Java's <c>Schema.Parser</c> does (names, namespaces, aliases,
/// references to earlier named types, union rules), keeping the position of every value for errors.
/// Field defaults are not validated against their type, as Confluent's registry accepts such schemas.
/// </summary>
internal sealed class AvroSchemaParser
{
    private static readonly Dictionary<string, AvroType> Primitives = new(StringComparer.Ordinal)
    {
        ["null"] = AvroType.Null, ["boolean"] = AvroType.Boolean, ["int"] = AvroType.Int, ["long"] = AvroType.Long,
        ["float"] = AvroType.Float, ["double"] = AvroType.Double, ["bytes"] = AvroType.Bytes, ["string"] = AvroType.String,
    };

    private readonly string _source;
    private readonly Dictionary<string, NamedSchema> _names = new(StringComparer.Ordinal);

    private AvroSchemaParser(string source) => _source = source;

    public static AvroSchema Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        var root = PositionedJson.Parse(json, source);
        return new AvroSchemaParser(source).ParseSchema(root, space: null);
    }

    private AvroSchema ParseSchema(PositionedJson node, string? space) => node.Kind switch
    {
        JsonKind.String => Reference(node, node.Text!, space),
        JsonKind.Array => ParseUnion(node, space),
        JsonKind.Object => ParseObject(node, space),
        _ => throw Error(node, $"expected a schema (a type name, an object or a union array) but found {node.Describe()}"),
    };

    private AvroSchema Reference(PositionedJson node, string name, string? space)
    {
        if (Primitives.TryGetValue(name, out var primitive))
            return new PrimitiveSchema(primitive);
        if (!name.Contains('.') && space is not null && _names.TryGetValue($"{space}.{name}", out var qualified))
            return qualified;
        if (_names.TryGetValue(name, out var named))
            return named;
        throw Error(node, $"unknown type \"{name}\": not a primitive type and not a named type defined earlier in the schema");
    }

    private UnionSchema ParseUnion(PositionedJson node, string? space)
    {
        var branches = new List<AvroSchema>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in node.Items)
        {
            var branch = ParseSchema(item, space);
            if (branch is UnionSchema)
                throw Error(item, "a union may not immediately contain another union");
            var key = branch is NamedSchema n ? n.FullName : branch.ToString();
            if (!seen.Add(key))
                throw Error(item, $"duplicate in union: {key}");
            branches.Add(branch);
        }

        return new UnionSchema(branches);
    }

    private AvroSchema ParseObject(PositionedJson node, string? space)
    {
        var typeNode = node.Property("type") ?? throw Error(node, "a schema object needs a \"type\"");
        if (typeNode.Kind != JsonKind.String)
            return ParseSchema(typeNode, space);
        var logicalType = node.Property("logicalType") is { Kind: JsonKind.String } lt ? lt.Text : null;
        switch (typeNode.Text)
        {
            case "record" or "error":
                return ParseRecord(node, space);
            case "enum":
                return ParseEnum(node, space);
            case "fixed":
                var (fixedName, fixedSpace) = NameOf(node, space);
                return Register(node, new FixedSchema(fixedName, fixedSpace, Aliases(node, fixedSpace), Size(node)) { LogicalType = logicalType });
            case "array":
                var items = node.Property("items") ?? throw Error(node, "an array schema needs \"items\"");
                return new ArraySchema(ParseSchema(items, space)) { LogicalType = logicalType };
            case "map":
                var values = node.Property("values") ?? throw Error(node, "a map schema needs \"values\"");
                return new MapSchema(ParseSchema(values, space)) { LogicalType = logicalType };
            default:
                var type = typeNode.Text!;
                if (Primitives.TryGetValue(type, out var primitive))
                    return new PrimitiveSchema(primitive) { LogicalType = logicalType };
                return Reference(typeNode, type, space);
        }
    }

    private RecordSchema ParseRecord(PositionedJson node, string? space)
    {
        var (name, ownSpace) = NameOf(node, space);
        var record = Register(node, new RecordSchema(name, ownSpace, Aliases(node, ownSpace))
        {
            LogicalType = node.Property("logicalType")?.Text,
        });
        var fields = node.Property("fields");
        if (fields is not { Kind: JsonKind.Array })
            throw Error(fields ?? node, $"record {record.FullName} needs a \"fields\" array");
        var fieldNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields.Items)
        {
            if (field.Kind != JsonKind.Object)
                throw Error(field, $"a field of record {record.FullName} must be an object but is {field.Describe()}");
            var fieldName = RequiredString(field, "name", $"a field of record {record.FullName}");
            ValidateName(field.Property("name")!, fieldName, "field name");
            if (!fieldNames.Add(fieldName))
                throw Error(field, $"record {record.FullName} has two fields named \"{fieldName}\"");
            var type = field.Property("type") ?? throw Error(field, $"field \"{fieldName}\" of record {record.FullName} needs a \"type\"");
            var schema = ParseSchema(type, ownSpace);
            var aliases = StringList(field, "aliases");
            record.Add(new AvroField(fieldName, schema, field.Property("default") is not null, aliases, record.Fields.Count));
        }

        return record;
    }

    private EnumSchema ParseEnum(PositionedJson node, string? space)
    {
        var (name, ownSpace) = NameOf(node, space);
        var symbolsNode = node.Property("symbols");
        if (symbolsNode is not { Kind: JsonKind.Array })
            throw Error(symbolsNode ?? node, $"enum {name} needs a \"symbols\" array");
        var symbols = new List<string>();
        foreach (var symbol in symbolsNode.Items)
        {
            if (symbol.Kind != JsonKind.String)
                throw Error(symbol, $"an enum symbol must be a string but is {symbol.Describe()}");
            ValidateName(symbol, symbol.Text!, "enum symbol");
            if (symbols.Contains(symbol.Text!, StringComparer.Ordinal))
                throw Error(symbol, $"enum {name} repeats the symbol {symbol.Text}");
            symbols.Add(symbol.Text!);
        }

        string? defaultSymbol = null;
        if (node.Property("default") is { } d)
        {
            if (d.Kind != JsonKind.String || !symbols.Contains(d.Text!, StringComparer.Ordinal))
                throw Error(d, $"the default {d.Describe()} of enum {name} is not one of its symbols [{string.Join(", ", symbols)}]");
            defaultSymbol = d.Text;
        }

        return Register(node, new EnumSchema(name, ownSpace, Aliases(node, ownSpace), symbols, defaultSymbol));
    }

    private int Size(PositionedJson node)
    {
        var size = node.Property("size");
        if (size is not { Kind: JsonKind.Number } || !int.TryParse(size.RawNumber, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < 0)
            throw Error(size ?? node, "a fixed schema needs a non-negative integer \"size\"");
        return value;
    }

    private (string Name, string? Space) NameOf(PositionedJson node, string? enclosing)
    {
        var name = RequiredString(node, "name", "a named type (record, enum or fixed)");
        string? space;
        var dot = name.LastIndexOf('.');
        if (dot >= 0)
        {
            space = name[..dot];
            name = name[(dot + 1)..];
        }
        else
        {
            var spaceNode = node.Property("namespace");
            if (spaceNode is { Kind: JsonKind.String })
                space = spaceNode.Text;
            else if (spaceNode is null or { Kind: JsonKind.Null })
                space = enclosing;
            else
                throw Error(spaceNode, $"a namespace must be a string but is {spaceNode.Describe()}");
        }

        ValidateName(node.Property("name")!, name, "name");
        if (!string.IsNullOrEmpty(space))
        {
            foreach (var part in space.Split('.'))
                ValidateName(node.Property("namespace") ?? node.Property("name")!, part, "namespace part");
        }

        return (name, string.IsNullOrEmpty(space) ? null : space);
    }

    private List<string> Aliases(PositionedJson node, string? space) =>
        StringList(node, "aliases").Select(a => a.Contains('.') || space is null ? a : $"{space}.{a}").ToList();

    private List<string> StringList(PositionedJson node, string property)
    {
        var list = node.Property(property);
        if (list is null)
            return [];
        if (list.Kind != JsonKind.Array || list.Items.Any(i => i.Kind != JsonKind.String))
            throw Error(list, $"\"{property}\" must be an array of strings");
        return list.Items.Select(i => i.Text!).ToList();
    }

    private T Register<T>(PositionedJson node, T schema)
        where T : NamedSchema
    {
        if (Primitives.ContainsKey(schema.Name) && schema.Namespace is null)
            throw Error(node, $"\"{schema.Name}\" is a primitive type and cannot be redefined");
        if (!_names.TryAdd(schema.FullName, schema))
            throw Error(node, $"the type {schema.FullName} is defined twice; refer to it by name after its first definition");
        return schema;
    }

    private string RequiredString(PositionedJson node, string property, string what)
    {
        var value = node.Property(property);
        if (value is not { Kind: JsonKind.String })
            throw Error(value ?? node, $"{what} needs a string \"{property}\"");
        return value.Text!;
    }

    private void ValidateName(PositionedJson node, string name, string what)
    {
        var valid = name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_')
            && name.All(c => char.IsLetterOrDigit(c) || c == '_');
        if (!valid)
            throw Error(node, $"invalid {what} \"{name}\": Avro names start with a letter or _ and contain only letters, digits and _");
    }

    private SchemaParseException Error(PositionedJson node, string reason) => new(_source, node.Line, node.Column, reason);
}
