using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace EventSourcing.SchemaTools.Generation;

/// <summary>Writes a C# default value as the JSON an Avro field default of the mapped type needs.</summary>
internal static class AvroDefaults
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    public static void Write(Utf8JsonWriter writer, Type type, object value, MemberFacts facts)
    {
        switch (value)
        {
            case bool b when type == typeof(bool):
                writer.WriteBooleanValue(b);
                return;
            case string s when type == typeof(string):
                writer.WriteStringValue(s);
                return;
        }

        if (type.IsEnum)
        {
            var symbol = Enum.GetName(type, value is Enum ? value : Enum.ToObject(type, value))
                ?? throw Unsupported(facts, value, $"{value} is not a member of {type.Name}");
            writer.WriteStringValue(symbol);
        }
        else if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint))
        {
            writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
        }
        else if (type == typeof(float) || type == typeof(double))
        {
            var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            if (!double.IsFinite(number))
                throw Unsupported(facts, value, "JSON has no NaN or infinity");
            writer.WriteNumberValue(number);
        }
        else if (type == typeof(decimal))
        {
            writer.WriteStringValue(DecimalBytes(Convert.ToDecimal(value, CultureInfo.InvariantCulture), facts));
        }
        else if (type == typeof(Guid))
        {
            var guid = value is Guid g ? g : Guid.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture);
            writer.WriteStringValue(guid.ToString("D"));
        }
        else if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            var instant = DateTimeOffset.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            writer.WriteNumberValue((instant - Epoch).Ticks / 10);
        }
        else if (type == typeof(DateOnly))
        {
            var date = DateOnly.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture);
            writer.WriteNumberValue(date.DayNumber - DateOnly.FromDateTime(Epoch.UtcDateTime).DayNumber);
        }
        else
        {
            throw Unsupported(facts, value, $"defaults of type {type.Name} are not supported; remove the default or make the field nullable");
        }
    }

    /// <summary>The Avro bytes-decimal default: the unscaled two's-complement big-endian integer, one char per byte.</summary>
    private static string DecimalBytes(decimal value, MemberFacts facts)
    {
        var scale = facts.Decimal?.Scale ?? AvroDecimalAttribute.DefaultScale;
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = (new BigInteger((uint)bits[2]) << 64) | (new BigInteger((uint)bits[1]) << 32) | (uint)bits[0];
        var unscaled = value.Scale <= scale
            ? mantissa * BigInteger.Pow(10, scale - value.Scale)
            : BigInteger.DivRem(mantissa, BigInteger.Pow(10, value.Scale - scale), out var rest) is var q && rest.IsZero
                ? q
                : throw Unsupported(facts, value, $"it has more than {scale} decimal places");
        if (value < 0)
            unscaled = -unscaled;
        var bytes = unscaled.ToByteArray(isUnsigned: false, isBigEndian: true);
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
            text.Append((char)b);
        return text.ToString();
    }

    private static InvalidOperationException Unsupported(MemberFacts facts, object value, string why) =>
        new($"{facts.Path}: the default {value} cannot be written as an Avro default: {why}.");
}
