using System.Text.Json;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>One item of a bulk response: its HTTP status and, when it failed, Elasticsearch's error type and reason.</summary>
internal readonly record struct BulkResponseItem(string? Id, int Status, string? ErrorType, string? Reason);

/// <summary>
/// Reads the per-item results of a <c>_bulk</c> response (<c>{"took":…,"errors":…,"items":[{"index":{"_id":…,"status":…,"error":{"type":…,"reason":…}}}]}</c>),
/// in request order. Returns null when the body is not a bulk response (a whole-request error).
/// </summary>
internal static class BulkResponseReader
{
    public static IReadOnlyList<BulkResponseItem>? Read(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
            return null;
        using var document = JsonDocument.Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("items", out var items)
            || items.ValueKind != JsonValueKind.Array)
            return null;

        var result = new List<BulkResponseItem>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            // Each item is an object with one property named after the operation: index, create, update or delete.
            var operation = item.EnumerateObject().First().Value;
            var id = operation.TryGetProperty("_id", out var i) ? i.GetString() : null;
            var status = operation.GetProperty("status").GetInt32();
            string? type = null, reason = null;
            if (operation.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                type = error.TryGetProperty("type", out var t) ? t.GetString() : null;
                reason = error.TryGetProperty("reason", out var r) ? r.GetString() : null;
            }

            result.Add(new BulkResponseItem(id, status, type, reason));
        }

        return result;
    }

    /// <summary>The <c>error.type</c> and <c>error.reason</c> of an Elasticsearch error body, if it is one.</summary>
    public static (string? Type, string? Reason) ReadError(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
            return (null, null);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error))
            {
                return error.ValueKind switch
                {
                    JsonValueKind.Object => (
                        error.TryGetProperty("type", out var t) ? t.GetString() : null,
                        error.TryGetProperty("reason", out var r) ? r.GetString() : null),
                    JsonValueKind.String => (null, error.GetString()),
                    _ => (null, null),
                };
            }
        }
        catch (JsonException)
        {
            // Not JSON (e.g. a proxy's HTML page): no details.
        }

        return (null, null);
    }
}
