using System.Globalization;

namespace OrderDomain.Orders.Http;

/// <summary>The order's stream version as an HTTP entity tag: <c>"7"</c>. If-Match accepts <c>"7"</c>, <c>W/"7"</c> or <c>7</c>.</summary>
public static class OrderETag
{
    public static string Format(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    public static bool TryParse(string? header, out long version)
    {
        version = 0;
        if (string.IsNullOrWhiteSpace(header) || header.Length > 32)
            return false;
        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
            text = text[2..];
        text = text.Trim('"');
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version >= 0;
    }
}
