using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// Writes a <c>_bulk</c> body straight into a buffer: per write an action line
/// (<c>{"index":{"_id":…,"version":…,"version_type":"external_gte"}}</c> or <c>delete</c>), then for an index the
/// document as one line, each line ended by <c>\n</c>. Documents are serialized with the options of the client's
/// source serializer, so they are the JSON the client would send; the <see cref="JsonTypeInfo"/> of the document
/// type is looked up once and reused, and no intermediate string or DOM is built.
/// </summary>
internal sealed class BulkBody
{
    private static readonly JsonEncodedText Index = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText Delete = JsonEncodedText.Encode("delete");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("_id");
    private static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText VersionType = JsonEncodedText.Encode("version_type");
    private static readonly JsonEncodedText ExternalGte = JsonEncodedText.Encode("external_gte");

    private readonly JsonSerializerOptions _documents;
    private readonly JsonWriterOptions _writerOptions;
    private JsonTypeInfo? _lastTypeInfo;

    public BulkBody(JsonSerializerOptions documentOptions)
    {
        ArgumentNullException.ThrowIfNull(documentOptions);
        // A private, locked copy: the same converters, naming and encoder, with its own metadata cache that
        // GetTypeInfo can use (mutable options resolve a fresh JsonTypeInfo on every call).
        _documents = new JsonSerializerOptions(documentOptions);
        _documents.TypeInfoResolver ??= new DefaultJsonTypeInfoResolver();
        _documents.MakeReadOnly();
        // The writer's options decide the escaping of documents serialized into it: keep the client's encoder.
        _writerOptions = new JsonWriterOptions { Encoder = documentOptions.Encoder };
    }

    /// <summary>Writes every write of <paramref name="writes"/>, or only those at the positions in <paramref name="only"/>.</summary>
    public void Write(IBufferWriter<byte> buffer, IBulkWrites writes, IReadOnlyList<int>? only)
    {
        using var json = new Utf8JsonWriter(buffer, _writerOptions);
        var count = only?.Count ?? writes.Count;
        for (var i = 0; i < count; i++)
        {
            var slot = only is null ? i : only[i];
            var document = writes.DocumentAt(slot);
            json.WriteStartObject();
            json.WriteStartObject(document is null ? Delete : Index);
            json.WriteString(Id, writes.IdAt(slot));
            json.WriteNumber(Version, writes.VersionAt(slot));
            json.WriteString(VersionType, ExternalGte);
            json.WriteEndObject();
            json.WriteEndObject();
            NewLine(json, buffer);
            if (document is null)
                continue;
            JsonSerializer.Serialize(json, document, TypeInfo(document.GetType()));
            NewLine(json, buffer);
        }
    }

    /// <summary>The metadata of the document type; read models write one type, so one cached entry serves them.</summary>
    private JsonTypeInfo TypeInfo(Type type)
    {
        var last = _lastTypeInfo;
        if (last is not null && last.Type == type)
            return last;
        last = _documents.GetTypeInfo(type);
        _lastTypeInfo = last;
        return last;
    }

    private static void NewLine(Utf8JsonWriter json, IBufferWriter<byte> buffer)
    {
        json.Flush();
        buffer.Write("\n"u8);
        json.Reset();
    }
}
