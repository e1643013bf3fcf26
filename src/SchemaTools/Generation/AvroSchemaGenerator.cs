using System.Reflection;
using System.Text;
using System.Text.Json;

namespace EventSourcing.SchemaTools.Generation;

/// <summary>
/// Generates the Avro schema of an event type. The output is deterministic: the same types give
/// byte-identical text (2-space indentation, '\n' line ends, a final newline, declaration order).
/// </summary>
public static class AvroSchemaGenerator
{
    /// <summary>The schema of a type carrying <c>[EventName]</c>.</summary>
    public static string Generate(Type eventType) => Generate(EventType.Of(eventType));

    public static string Generate(EventType eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 2, NewLine = "\n" }))
        {
            var fullName = AvroNaming.FullName(eventType.Name);
            new Walk(writer, fullName).Record(eventType.ClrType, fullName, eventType.ClrType.Name);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private sealed class Walk(Utf8JsonWriter writer, string rootFullName)
    {
        private readonly Dictionary<Type, string> _defined = [];
        private readonly NullabilityInfoContext _nullability = new();

        public void Record(Type type, string fullName, string path)
        {
            _defined[type] = fullName;
            var (space, name) = AvroNaming.Split(fullName);
            var properties = MemberFacts.Properties(type);
            if (properties.Count == 0)
                throw new InvalidOperationException($"{path}: {type.FullName} has no public properties to map to Avro fields.");
            var constructor = MemberFacts.PrimaryConstructor(type, properties);
            writer.WriteStartObject();
            writer.WriteString("type", "record");
            writer.WriteString("name", name);
            if (space is not null)
                writer.WriteString("namespace", space);
            writer.WriteStartArray("fields");
            foreach (var property in properties)
            {
                var parameter = constructor?.GetParameters().FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase));
                Field(property, MemberFacts.Of(property, parameter, _nullability, $"{path}.{property.Name}"));
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        private void Field(PropertyInfo property, MemberFacts facts)
        {
            writer.WriteStartObject();
            writer.WriteString("name", AvroNaming.FieldName(property.Name));
            if (facts.Aliases.Count > 0)
            {
                writer.WriteStartArray("aliases");
                foreach (var alias in facts.Aliases)
                    writer.WriteStringValue(alias);
                writer.WriteEndArray();
            }

            var (type, nullable) = Unwrap(property.PropertyType, facts.Nullability);
            writer.WritePropertyName("type");
            if (!nullable)
            {
                Type(type, facts);
                if (facts is { HasDefault: true, Default: null })
                    throw new InvalidOperationException($"{facts.Path}: the default is null but the type is not nullable; declare it as {type.Name}?.");
                if (facts.HasDefault)
                {
                    writer.WritePropertyName("default");
                    AvroDefaults.Write(writer, type, facts.Default!, facts);
                }
            }
            else if (facts.Default is null)
            {
                // Optional: null first, so that null is a valid default.
                writer.WriteStartArray();
                writer.WriteStringValue("null");
                Type(type, facts);
                writer.WriteEndArray();
                writer.WriteNull("default");
            }
            else
            {
                // A non-null default must match the first branch.
                writer.WriteStartArray();
                Type(type, facts);
                writer.WriteStringValue("null");
                writer.WriteEndArray();
                writer.WritePropertyName("default");
                AvroDefaults.Write(writer, type, facts.Default, facts);
            }

            writer.WriteEndObject();
        }

        private void Element(Type declared, NullabilityInfo? nullability, string path)
        {
            var (type, nullable) = Unwrap(declared, nullability);
            var facts = MemberFacts.Element(path, nullability);
            if (!nullable)
            {
                Type(type, facts);
                return;
            }

            writer.WriteStartArray();
            writer.WriteStringValue("null");
            Type(type, facts);
            writer.WriteEndArray();
        }

        private void Type(Type type, MemberFacts facts)
        {
            if (TypeMapping.Primitive(type, facts.Decimal) is { } primitive)
            {
                primitive(writer);
                return;
            }

            if (_defined.TryGetValue(type, out var knownName))
            {
                writer.WriteStringValue(knownName); // named once, referenced after
                return;
            }

            if (type.IsEnum)
            {
                Enum(type);
            }
            else if (TypeMapping.MapValue(type, facts) is { } map)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "map");
                writer.WritePropertyName("values");
                Element(map.Type, map.Nullability, facts.Path + "{}");
                writer.WriteEndObject();
            }
            else if (TypeMapping.ArrayItem(type, facts) is { } items)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "array");
                writer.WritePropertyName("items");
                Element(items.Type, items.Nullability, facts.Path + "[]");
                writer.WriteEndObject();
            }
            else if (TypeMapping.IsRecord(type))
            {
                Record(type, $"{rootFullName}.{AvroNaming.TypeName(type)}", facts.Path);
            }
            else
            {
                throw new InvalidOperationException($"{facts.Path}: {type.FullName} has no Avro mapping (supported: string, bool, int, long, float, double, decimal, Guid, DateTimeOffset, DateTime, DateOnly, TimeOnly, byte[], enums, nullable types, arrays and lists, dictionaries with string keys, records).");
            }
        }

        private void Enum(Type type)
        {
            var fullName = $"{rootFullName}.{AvroNaming.TypeName(type)}";
            _defined[type] = fullName;
            var (space, name) = AvroNaming.Split(fullName);
            writer.WriteStartObject();
            writer.WriteString("type", "enum");
            writer.WriteString("name", name);
            writer.WriteString("namespace", space);
            writer.WriteStartArray("symbols");
            foreach (var symbol in TypeMapping.EnumSymbols(type))
                writer.WriteStringValue(symbol);
            writer.WriteEndArray();
            if (TypeMapping.EnumDefault(type) is { } defaultSymbol)
                writer.WriteString("default", defaultSymbol);
            writer.WriteEndObject();
        }

        private static (Type Type, bool Nullable) Unwrap(Type declared, NullabilityInfo? nullability)
        {
            if (Nullable.GetUnderlyingType(declared) is { } inner)
                return (inner, true);
            return (declared, !declared.IsValueType && nullability?.ReadState == NullabilityState.Nullable);
        }
    }
}
