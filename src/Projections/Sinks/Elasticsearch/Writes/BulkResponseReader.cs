using System.Text.Json;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>One item of a bulk response: its HTTP status and, when it failed, Elasticsearch's error type and reason.</summary>
internal readonly record struct BulkResponseItem(string? Id, int Status, string? ErrorType, string? Reason);

/// <summary>
/// What a <c>_bulk</c> response says: either every item succeeded (the top-level <c>"errors": false</c>, so the
/// items need not be read one by one), or the per-item results in request order.
/// </summary>
internal readonly record struct BulkResponseSummary(bool AllSucceeded, IReadOnlyList<BulkResponseItem>? Items)
{
    public static BulkResponseSummary Succeeded { get; } = new(true, null);
}

/// <summary>
/// Reads a <c>_bulk</c> response (<c>{"took":…,"errors":…,"items":[{"index":{"_id":…,"status":…,"error":{"type":…,"reason":…}}}]}</c>,
/// or its <c>filter_path=errors,items.*.error,items.*.status</c> form) forward-only. Elasticsearch writes
/// <c>errors</c> before <c>items</c>; when it is false the reader stops there. Returns null when the body is
/// not a bulk response (a whole-request error).
/// </summary>
internal static class BulkResponseReader
{
    public static BulkResponseSummary? Read(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
            return null;
        try
        {
            var reader = new Utf8JsonReader(body.Span, isFinalBlock: true, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("errors"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.False)
                        return BulkResponseSummary.Succeeded;
                    continue;
                }

                if (!reader.ValueTextEquals("items"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                    return null;
                var result = new List<BulkResponseItem>();
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    reader.Read(); // the operation name: index, create, update or delete
                    reader.Read(); // its object
                    result.Add(ReadItem(ref reader));
                    reader.Read(); // end of the item object
                }

                return new BulkResponseSummary(false, result);
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    private static BulkResponseItem ReadItem(ref Utf8JsonReader reader)
    {
        string? id = null, type = null, reason = null;
        var status = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("_id"u8))
            {
                reader.Read();
                id = reader.GetString();
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                status = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                (type, reason) = ReadErrorObject(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new BulkResponseItem(id, status, type, reason);
    }

    private static (string? Type, string? Reason) ReadErrorObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (null, null);
        }

        string? type = null, reason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isReason = reader.ValueTextEquals("reason"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String)
                type = reader.GetString();
            else if (isReason && reader.TokenType == JsonTokenType.String)
                reason = reader.GetString();
            else
                reader.Skip();
        }

        return (type, reason);
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
