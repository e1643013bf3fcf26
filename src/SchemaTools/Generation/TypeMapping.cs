using System.ComponentModel;
using System.Reflection;
using System.Text.Json;

namespace EventSourcing.SchemaTools.Generation;

/// <summary>The CLR-to-Avro type table (see docs/schema-evolution.md).</summary>
internal static class TypeMapping
{
    private static readonly Dictionary<Type, string> Plain = new()
    {
        [typeof(string)] = "string", [typeof(bool)] = "boolean",
        [typeof(int)] = "int", [typeof(short)] = "int", [typeof(byte)] = "int", [typeof(sbyte)] = "int", [typeof(ushort)] = "int",
        [typeof(long)] = "long", [typeof(uint)] = "long",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(byte[])] = "bytes",
    };

    private static readonly Dictionary<Type, (string Type, string Logical)> Logical = new()
    {
        [typeof(Guid)] = ("string", "uuid"),
        [typeof(DateTimeOffset)] = ("long", "timestamp-micros"),
        [typeof(DateTime)] = ("long", "timestamp-micros"),
        [typeof(DateOnly)] = ("int", "date"),
        [typeof(TimeOnly)] = ("long", "time-micros"),
    };

    /// <summary>A writer for a primitive or logical type, or null when the type is not one.</summary>
    public static Action<Utf8JsonWriter>? Primitive(Type type, AvroDecimalAttribute? decimalAttribute)
    {
        if (Plain.TryGetValue(type, out var plain))
            return w => w.WriteStringValue(plain);
        if (Logical.TryGetValue(type, out var logical))
        {
            return w =>
            {
                w.WriteStartObject();
                w.WriteString("type", logical.Type);
                w.WriteString("logicalType", logical.Logical);
                w.WriteEndObject();
            };
        }

        if (type != typeof(decimal))
            return null;
        return w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "bytes");
            w.WriteString("logicalType", "decimal");
            w.WriteNumber("precision", decimalAttribute?.Precision ?? AvroDecimalAttribute.DefaultPrecision);
            w.WriteNumber("scale", decimalAttribute?.Scale ?? AvroDecimalAttribute.DefaultScale);
            w.WriteEndObject();
        };
    }

    /// <summary>The value type of a dictionary; a key other than string is an error.</summary>
    public static (Type Type, NullabilityInfo? Nullability)? MapValue(Type type, MemberFacts facts)
    {
        var dictionary = Generic(type, typeof(IDictionary<,>)) ?? Generic(type, typeof(IReadOnlyDictionary<,>));
        if (dictionary is null)
            return null;
        var arguments = dictionary.GetGenericArguments();
        if (arguments[0] != typeof(string))
            throw new InvalidOperationException($"{facts.Path}: Avro maps have string keys, but this dictionary's key is {arguments[0].Name}.");
        var valueNullability = type.IsGenericType && type.GetGenericArguments().Length == 2 ? facts.Nullability?.GenericTypeArguments.ElementAtOrDefault(1) : null;
        return (arguments[1], valueNullability);
    }

    /// <summary>The item type of an array or sequence (not string, not a dictionary).</summary>
    public static (Type Type, NullabilityInfo? Nullability)? ArrayItem(Type type, MemberFacts facts)
    {
        if (type.IsArray)
            return (type.GetElementType()!, facts.Nullability?.ElementType);
        if (type == typeof(string))
            return null;
        var sequence = Generic(type, typeof(IEnumerable<>));
        if (sequence is null)
            return null;
        var itemNullability = type.IsGenericType && type.GetGenericArguments().Length == 1 ? facts.Nullability?.GenericTypeArguments.ElementAtOrDefault(0) : null;
        return (sequence.GetGenericArguments()[0], itemNullability);
    }

    public static bool IsRecord(Type type) =>
        (type.IsClass || (type.IsValueType && !type.IsPrimitive && !type.IsEnum)) && !type.IsAbstract && !type.IsInterface
        && !(type.Namespace?.StartsWith("System", StringComparison.Ordinal) ?? false);

    /// <summary>Enum symbols in declaration order (not value order).</summary>
    public static IEnumerable<string> EnumSymbols(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).OrderBy(f => f.MetadataToken).Select(f => AvroNaming.Sanitize(f.Name));

    /// <summary>The enum-level default symbol: <c>[DefaultValue(MyEnum.Unknown)]</c> on the enum type.</summary>
    public static string? EnumDefault(Type type)
    {
        var value = type.GetCustomAttribute<DefaultValueAttribute>()?.Value;
        if (value is null)
            return null;
        return Enum.GetName(type, value is Enum ? value : Enum.ToObject(type, value))
            ?? throw new InvalidOperationException($"{type.FullName}: [DefaultValue({value})] is not one of its members.");
    }

    private static Type? Generic(Type type, Type definition)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == definition)
            return type;
        return type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition).OrderBy(i => i.FullName, StringComparer.Ordinal).FirstOrDefault();
    }
}
