using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventSourcing.Projections.Verification;

/// <summary>
/// Compares two documents field by field as JSON (both serialized the same way from the document type) and names the
/// first field that differs. Numbers compare by value (<c>500</c> equals <c>500.00</c>), an absent field equals null.
/// </summary>
internal static class DocumentComparer
{
    private const int MaxShown = 200;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static JsonNode? ToJson(object? document, Type documentType) =>
        document is null ? null : JsonSerializer.SerializeToNode(document, documentType, Json);

    /// <summary>The first difference as (path, expected, actual), or null when the two are equal.</summary>
    public static (string Field, string? Expected, string? Actual)? FirstDifference(JsonNode? expected, JsonNode? actual) =>
        Walk(expected, actual, "");

    /// <summary>A node as compact JSON, cut to a length a terminal line can show.</summary>
    public static string? Show(JsonNode? node)
    {
        if (node is null)
            return null;
        var text = node.ToJsonString();
        return text.Length <= MaxShown ? text : text[..MaxShown] + "...";
    }

    private static (string, string?, string?)? Walk(JsonNode? a, JsonNode? b, string path)
    {
        switch (a, b)
        {
            case (null, null):
                return null;
            case (JsonObject x, JsonObject y):
                foreach (var name in x.Select(p => p.Key).Concat(y.Select(p => p.Key).Where(k => !x.ContainsKey(k))))
                {
                    if (Walk(x[name], y[name], path.Length == 0 ? name : path + "." + name) is { } found)
                        return found;
                }

                return null;
            case (JsonArray x, JsonArray y):
                for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
                {
                    var item = path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                    if (i >= x.Count || i >= y.Count)
                        return (item, Show(i < x.Count ? x[i] : null), Show(i < y.Count ? y[i] : null));
                    if (Walk(x[i], y[i], item) is { } found)
                        return found;
                }

                return null;
            case (JsonValue x, JsonValue y) when SameValue(x, y):
                return null;
            default:
                return (path.Length == 0 ? "(document)" : path, Show(a), Show(b));
        }
    }

    private static bool SameValue(JsonValue x, JsonValue y)
    {
        if (x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number)
        {
            var (p, q) = (x.ToJsonString(), y.ToJsonString());
            return decimal.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var m)
                   && decimal.TryParse(q, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                ? m == n
                : double.Parse(p, CultureInfo.InvariantCulture).Equals(double.Parse(q, CultureInfo.InvariantCulture));
        }

        return JsonNode.DeepEquals(x, y);
    }
}
