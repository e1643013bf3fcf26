using System.Buffers;
using System.Text.Json;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// Writes a <c>_bulk</c> body: per write an action line (<c>{"index":{"_id":…,"version":…,"version_type":"external_gte"}}</c>
/// or <c>delete</c>), then for an index the document as one line, each line ended by <c>\n</c>. Documents are
/// serialized with the options of the client's source serializer, so they are the JSON the client would send.
/// </summary>
internal static class BulkBody
{
    private static readonly JsonEncodedText Index = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText Delete = JsonEncodedText.Encode("delete");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("_id");
    private static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText VersionType = JsonEncodedText.Encode("version_type");
    private static readonly JsonEncodedText ExternalGte = JsonEncodedText.Encode("external_gte");

    public static void Write<TDocument>(ArrayBufferWriter<byte> buffer, IEnumerable<DocumentWrite<TDocument>> writes, JsonSerializerOptions documentOptions)
        where TDocument : class
    {
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = documentOptions.Encoder });
        foreach (var write in writes)
        {
            json.WriteStartObject();
            json.WriteStartObject(write.Document is null ? Delete : Index);
            json.WriteString(Id, write.Id);
            json.WriteNumber(Version, write.Version);
            json.WriteString(VersionType, ExternalGte);
            json.WriteEndObject();
            json.WriteEndObject();
            NewLine(json, buffer);
            if (write.Document is null)
                continue;
            JsonSerializer.Serialize(json, write.Document, write.Document.GetType(), documentOptions);
            NewLine(json, buffer);
        }
    }

    private static void NewLine(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer)
    {
        json.Flush();
        buffer.Write("\n"u8);
        json.Reset();
    }
}
