using System.Buffers;
using System.Globalization;
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

    // Ids made only of these characters are written as they are: no JSON encoder escapes any of them.
    private static readonly SearchValues<char> PlainIdCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

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
            WriteAction(json, buffer, document is null, writes.IdAt(slot), writes.VersionAt(slot));
            if (document is null)
                continue;
            JsonSerializer.Serialize(json, document, TypeInfo(document.GetType()));
            NewLine(json, buffer);
        }
    }

    /// <summary>The action line, <c>{"index":{"_id":…,"version":…,"version_type":"external_gte"}}</c> and a newline.</summary>
    internal static void WriteAction(Utf8JsonWriter json, IBufferWriter<byte> buffer, bool delete, string id, long version)
    {
        if (TryWritePlainAction(buffer, delete, id, version))
            return;
        json.WriteStartObject();
        json.WriteStartObject(delete ? Delete : Index);
        json.WriteString(Id, id);
        json.WriteNumber(Version, version);
        json.WriteString(VersionType, ExternalGte);
        json.WriteEndObject();
        json.WriteEndObject();
        NewLine(json, buffer);
    }

    /// <summary>
    /// The same bytes as the writer produces, copied in directly, for the usual ids (letters, digits, <c>-_.</c>,
    /// which no encoder escapes). Any other id goes through <see cref="Utf8JsonWriter"/> and its encoder.
    /// </summary>
    private static bool TryWritePlainAction(IBufferWriter<byte> buffer, bool delete, string id, long version)
    {
        if (id.Length is 0 or > 512 || id.AsSpan().ContainsAnyExcept(PlainIdCharacters))
            return false;
        var prefix = delete ? "{\"delete\":{\"_id\":\""u8 : "{\"index\":{\"_id\":\""u8;
        var middle = "\",\"version\":"u8;
        var suffix = ",\"version_type\":\"external_gte\"}}\n"u8;
        var span = buffer.GetSpan(prefix.Length + id.Length + middle.Length + 20 + suffix.Length);
        prefix.CopyTo(span);
        var length = prefix.Length;
        for (var c = 0; c < id.Length; c++)
            span[length++] = (byte)id[c];
        middle.CopyTo(span[length..]);
        length += middle.Length;
        if (!version.TryFormat(span[length..], out var digits, default, CultureInfo.InvariantCulture))
            return false;
        length += digits;
        suffix.CopyTo(span[length..]);
        buffer.Advance(length + suffix.Length);
        return true;
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
