using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderDomain.Orders.Http;

/// <summary>
/// How request bodies are read: JSON with camelCase names, nothing lenient. A field the request does not
/// have, a number sent as a string, a comment, a trailing comma, a repeated field or nesting deeper than
/// <see cref="MaxDepth"/> is a 400 naming the field.
/// </summary>
public static class OrderJson
{
    public const int MaxDepth = 8;

    /// <summary>The largest request body read, in bytes; a larger one is a 413.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = MaxDepth,
    };
}
