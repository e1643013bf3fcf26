using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Avro;
using Avro.Generic;

namespace EventSourcing.Projections.Kafka.AvroMapping;

/// <summary>
/// Turns a <see cref="GenericRecord"/> (already resolved to the reader's schema, so defaults are filled
/// in) into an instance of the event type: the constructor with the most parameters is called with
/// the fields of the same name (ignoring case), converted back from the Avro logical types; a
/// parameter without a field takes its C# default. The inverse of <see cref="AvroValueWriter"/>.
/// </summary>
public static class AvroValueReader
{
    private static readonly ConcurrentDictionary<Type, ConstructorInfo> Constructors = new();

    public static T FromRecord<T>(GenericRecord record) => (T)FromRecord(record, typeof(T));

    public static object FromRecord(GenericRecord record, Type type)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(type);
        var constructor = Constructors.GetOrAdd(type, static t =>
            t.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"{t.FullName} has no public constructor to read Avro records into."));
        var parameters = constructor.GetParameters();
        var arguments = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            var field = record.Schema.Fields.FirstOrDefault(f => string.Equals(f.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
            arguments[i] = field is null
                ? (parameter.HasDefaultValue ? parameter.DefaultValue : Default(parameter.ParameterType))
                : Convert(record.GetValue(field.Pos), parameter.ParameterType, $"{record.Schema.Fullname}.{field.Name}");
        }

        return constructor.Invoke(arguments);
    }

    private static object? Default(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;

    internal static object? Convert(object? value, Type target, string path)
    {
        if (value is null)
            return Default(target);
        var underlying = Nullable.GetUnderlyingType(target) ?? target;
        if (underlying.IsInstanceOfType(value) && value is not IEnumerable || value is string && underlying == typeof(string))
            return value;

        switch (value)
        {
            case GenericRecord nested:
                return FromRecord(nested, underlying);
            case GenericEnum symbol when underlying.IsEnum:
                return Enum.Parse(underlying, symbol.Value, ignoreCase: false);
            case GenericFixed fixedValue:
                return fixedValue.Value;
            case DateTime dateTime when underlying == typeof(DateTimeOffset):
                return new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc));
            case DateTime dateTime when underlying == typeof(DateOnly):
                return DateOnly.FromDateTime(dateTime);
            case AvroDecimal avroDecimal:
                // computed here: Apache.Avro 1.12's IConvertible on AvroDecimal recurses without end
                var exact = (decimal)avroDecimal.UnscaledValue / (decimal)System.Numerics.BigInteger.Pow(10, avroDecimal.Scale);
                return System.Convert.ChangeType(exact, underlying, CultureInfo.InvariantCulture);
            case string text when underlying == typeof(Guid):
                return Guid.Parse(text, CultureInfo.InvariantCulture);
            case byte[] bytes:
                return bytes;
            case IDictionary map:
                return ToDictionary(map, underlying, path);
            case IEnumerable items when underlying != typeof(string):
                return ToList(items, underlying, path);
            default:
                return System.Convert.ChangeType(value, underlying, CultureInfo.InvariantCulture);
        }
    }

    private static object ToList(IEnumerable items, Type target, string path)
    {
        var element = target.IsArray ? target.GetElementType()! : target.GetGenericArguments().FirstOrDefault()
                      ?? throw new InvalidOperationException($"{path}: cannot read an Avro array into {target.FullName}.");
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        var i = 0;
        foreach (var item in items)
            list.Add(Convert(item, element, $"{path}[{i++}]"));
        if (!target.IsArray)
            return list;
        var array = Array.CreateInstance(element, list.Count);
        list.CopyTo(array, 0);
        return array;
    }

    private static object ToDictionary(IDictionary map, Type target, string path)
    {
        var arguments = target.GetGenericArguments();
        var valueType = arguments.Length == 2 ? arguments[1]
            : throw new InvalidOperationException($"{path}: cannot read an Avro map into {target.FullName}.");
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
        foreach (DictionaryEntry entry in map)
            dictionary[(string)entry.Key] = Convert(entry.Value, valueType, $"{path}{{{entry.Key}}}");
        return dictionary;
    }
}
