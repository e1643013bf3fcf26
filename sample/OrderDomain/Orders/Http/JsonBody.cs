using System.Globalization;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace OrderDomain.Orders.Http;

/// <summary>
/// Reads a command's JSON body with <see cref="OrderJson.Options"/>. Every way it can fail is a problem
/// in the API's words (415 not JSON, 413 too large, 400 naming the field and what it must be), never a
/// serializer message with .NET type names.
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (!IsJson(request.ContentType))
            return (null, OrderProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported media type", "unsupported_media_type",
                $"the request body must be application/json, was '{OrderProblems.Shorten(request.ContentType ?? "(none)")}'"));
        if (request.ContentLength > OrderJson.MaxBodyBytes)
            return (null, TooLarge());

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > OrderJson.MaxBodyBytes)
                return (null, TooLarge());
            await buffer.WriteAsync(chunk.AsMemory(0, read), ct);
        }

        if (buffer.Length == 0)
            return (null, Missing());
        try
        {
            var body = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), OrderJson.Options);
            return body is null ? (null, Missing()) : (body, null);
        }
        catch (JsonException e)
        {
            return (null, Invalid(e));
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    private static IResult TooLarge() => OrderProblems.Problem(StatusCodes.Status413PayloadTooLarge, "request too large", "request_too_large",
        $"the request body must be at most {OrderJson.MaxBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes");

    private static IResult Missing() => OrderProblems.BadRequest("body_missing", "the request body must be a JSON object");

    /// <summary>Says which field was wrong and what it must be; the serializer's message (it names .NET types) is not passed on.</summary>
    private static IResult Invalid(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        var where = $"line {((e.LineNumber ?? 0) + 1).ToString(CultureInfo.InvariantCulture)}, byte {(e.BytePositionInLine ?? 0).ToString(CultureInfo.InvariantCulture)}";
        var message = e.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
            return OrderProblems.BadRequest("unknown_field", $"field '{path}' is not part of this request");
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            return OrderProblems.BadRequest("duplicate_field", $"field '{path}' appears more than once");
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
            return OrderProblems.BadRequest("json_too_deep", $"the body nests deeper than {OrderJson.MaxDepth.ToString(CultureInfo.InvariantCulture)} levels ({where})");
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) && path != "$")
            return OrderProblems.BadRequest("field_invalid", $"field '{path}' must be {Expected(path)}");
        return OrderProblems.BadRequest("json_invalid", $"the body is not valid JSON ({where})");
    }

    private static string Expected(string path)
    {
        if (path.EndsWith(']'))
            return "an object";
        var field = path[(path.LastIndexOf('.') + 1)..];
        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
            field = field[..bracket];
        return field.ToUpperInvariant() switch
        {
            "QUANTITY" => "a whole number (not a string)",
            "UNITPRICE" or "AMOUNT" => "a number (not a string) within the supported range",
            "ORDERID" => "a GUID string",
            "LINES" => "an array of order lines",
            "SHIPPINGADDRESS" => "an object with street, city, postalCode and country",
            _ => "a string",
        };
    }
}
