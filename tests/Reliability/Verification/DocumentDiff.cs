using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EventSourcing.Reliability.Verification;

/// <summary>
/// Compares a read-model document with the fold's, field by field: both are flattened to path = value
/// (numbers as exact decimals, ISO timestamps as UTC instants, a null the same as an absent field).
/// </summary>
public static partial class DocumentDiff
{
    /// <summary>Each differing field as "path: actual 'x', expected 'y'"; empty when the documents agree.</summary>
    public static IReadOnlyList<string> Compare(JsonElement actual, JsonElement expected)
    {
        var a = Flatten(actual);
        var e = Flatten(expected);
        return a.Keys.Union(e.Keys).Order(StringComparer.Ordinal)
            .Where(path => a.GetValueOrDefault(path) != e.GetValueOrDefault(path))
            .Select(path => $"{path}: actual {Show(a.GetValueOrDefault(path))}, expected {Show(e.GetValueOrDefault(path))}")
            .ToList();
    }

    public static SortedDictionary<string, string> Flatten(JsonElement element)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Flatten(element, "", result);
        return result;
    }

    private static void Flatten(JsonElement element, string path, SortedDictionary<string, string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Flatten(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", into);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    Flatten(item, $"{path}[{i++}]", into);
                into[path + ".length"] = i.ToString(CultureInfo.InvariantCulture);
                break;
            case JsonValueKind.Number:
                into[path] = Number(element.GetDecimal());
                break;
            case JsonValueKind.String:
                var text = element.GetString()!;
                into[path] = IsoTime().IsMatch(text)
                    ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).UtcDateTime.ToString("O", CultureInfo.InvariantCulture)
                    : text;
                break;
            case JsonValueKind.True or JsonValueKind.False:
                into[path] = element.GetBoolean() ? "true" : "false";
                break;
            default:
                break; // null: the same as absent
        }
    }

    /// <summary>A decimal without trailing zeros, so 501.00 and 501 agree.</summary>
    private static string Number(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;
    }

    private static string Show(string? value) => value is null ? "absent" : $"'{value}'";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")]
    private static partial Regex IsoTime();
}
