using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;
using Avro;
using Avro.Generic;

namespace EventSourcing.Projections.Kafka.AvroMapping;

/// <summary>
/// Turns an event object into the <see cref="GenericRecord"/> of its Avro contract, field by field,
/// following the schema (not the CLR shape): properties are matched to fields by name ignoring case;
/// DateTimeOffset/DateTime/DateOnly become the timestamp and date logical types, Guid the uuid type,
/// decimal the decimal type at the schema's scale, enums their symbols, lists arrays, string-keyed
/// dictionaries maps, nested objects nested records; a nullable union takes null or its other branch.
/// A property the schema needs but the type lacks is an error naming both.
/// </summary>
public static class AvroValueWriter
{
    // keyed by schema reference: Avro's own schema hash and equality walk the whole schema on every call
    private static readonly ConcurrentDictionary<(Type, RecordSchema), Func<object, object?>?[]> Accessors = new(ByReference.Instance);

    private sealed class ByReference : IEqualityComparer<(Type, RecordSchema)>
    {
        public static ByReference Instance { get; } = new();

        public bool Equals((Type, RecordSchema) x, (Type, RecordSchema) y) => x.Item1 == y.Item1 && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((Type, RecordSchema) obj) => HashCode.Combine(obj.Item1, System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
    }

    public static GenericRecord ToRecord(object value, RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(schema);
        var accessors = Accessors.GetOrAdd((value.GetType(), schema), static key => Bind(key.Item1, key.Item2));
        var record = new GenericRecord(schema);
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            var field = schema.Fields[i];
            var getter = accessors[i];
            if (getter is null)
            {
                if (field.DefaultValue is null && !AcceptsNull(field.Schema))
                    throw new AvroException(
                        $"{value.GetType().FullName} has no property for the Avro field '{schema.Fullname}.{field.Name}', which has no default.");
                record.Add(field.Pos, null);
                continue;
            }

            record.Add(field.Pos, Convert(getter(value), field.Schema, $"{schema.Fullname}.{field.Name}"));
        }

        return record;
    }

    /// <summary>A compiled getter per schema field (null when the type has no such property), built once per type and schema.</summary>
    private static Func<object, object?>?[] Bind(Type type, RecordSchema schema)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        return schema.Fields.Select(f => properties.GetValueOrDefault(f.Name) is { } p ? Getter(type, p) : null).ToArray();
    }

    private static Func<object, object?> Getter(Type type, PropertyInfo property)
    {
        var instance = Expression.Parameter(typeof(object), "instance");
        var read = Expression.Property(Expression.Convert(instance, type), property);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), instance).Compile();
    }

    private static bool AcceptsNull(Schema schema) =>
        schema.Tag == Schema.Type.Null || (schema is UnionSchema union && union.Schemas.Any(s => s.Tag == Schema.Type.Null));

    internal static object? Convert(object? value, Schema schema, string path)
    {
        if (schema is UnionSchema union)
        {
            if (value is null)
                return AcceptsNull(union) ? null : throw new AvroException($"{path} is null but its union has no null branch.");
            var branch = union.Schemas.FirstOrDefault(s => s.Tag != Schema.Type.Null)
                         ?? throw new AvroException($"{path} has a value but its union holds only null.");
            return Convert(value, branch, path);
        }

        if (value is null)
            return schema.Tag == Schema.Type.Null ? null : throw new AvroException($"{path} is null but its Avro type {schema.Name} is not nullable.");

        return schema switch
        {
            LogicalSchema logical => ConvertLogical(value, logical, path),
            RecordSchema record => ToRecord(value, record),
            EnumSchema enumSchema => new GenericEnum(enumSchema, value.ToString()!),
            FixedSchema fixedSchema => new GenericFixed(fixedSchema, (byte[])value),
            ArraySchema array => ((IEnumerable)value).Cast<object?>().Select((item, i) => Convert(item, array.ItemSchema, $"{path}[{i}]")).ToArray(),
            MapSchema map => ToMap(value, map, path),
            _ => ConvertPrimitive(value, schema, path),
        };
    }

    private static Dictionary<string, object?> ToMap(object value, MapSchema map, string path)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in (IDictionary)value)
        {
            var key = (string)entry.Key;
            result[key] = Convert(entry.Value, map.ValueSchema, $"{path}{{{key}}}");
        }

        return result;
    }

    private static object ConvertPrimitive(object value, Schema schema, string path) => schema.Tag switch
    {
        Schema.Type.Boolean => (bool)value,
        Schema.Type.Int => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
        Schema.Type.Long => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
        Schema.Type.Float => System.Convert.ToSingle(value, CultureInfo.InvariantCulture),
        Schema.Type.Double => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        Schema.Type.String => value is string s ? s : System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
        Schema.Type.Bytes => (byte[])value,
        _ => throw new AvroException($"{path}: cannot write a {value.GetType().Name} as Avro {schema.Tag}."),
    };

    private static object ConvertLogical(object value, LogicalSchema schema, string path) => schema.LogicalTypeName switch
    {
        "uuid" => value is Guid g ? g : Guid.Parse((string)value, CultureInfo.InvariantCulture),
        "timestamp-millis" or "timestamp-micros" or "local-timestamp-millis" or "local-timestamp-micros" => value switch
        {
            DateTimeOffset dto => dto.UtcDateTime,
            DateTime dt => dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt.ToUniversalTime(),
            _ => throw new AvroException($"{path}: cannot write a {value.GetType().Name} as {schema.LogicalTypeName}."),
        },
        "date" => value switch
        {
            DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            DateTime dt => dt.Date,
            DateTimeOffset dto => dto.UtcDateTime.Date,
            _ => throw new AvroException($"{path}: cannot write a {value.GetType().Name} as date."),
        },
        "time-micros" or "time-millis" => value switch
        {
            TimeOnly t => t.ToTimeSpan(),
            TimeSpan t => t,
            _ => throw new AvroException($"{path}: cannot write a {value.GetType().Name} as {schema.LogicalTypeName}."),
        },
        "decimal" => ToAvroDecimal(System.Convert.ToDecimal(value, CultureInfo.InvariantCulture), schema),
        _ => Convert(value, schema.BaseSchema, path)!,
    };

    private static AvroDecimal ToAvroDecimal(decimal value, LogicalSchema schema)
    {
        var scale = int.Parse(schema.GetProperty("scale") ?? "0", CultureInfo.InvariantCulture);
        var rounded = Math.Round(value, scale, MidpointRounding.ToEven);
        var unscaled = new BigInteger(rounded * (decimal)Math.Pow(10, scale));
        return new AvroDecimal(unscaled, scale);
    }
}
