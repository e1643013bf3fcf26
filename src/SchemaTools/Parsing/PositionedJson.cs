using System.Text;
using System.Text.Json;

namespace EventSourcing.SchemaTools.Parsing;

internal enum JsonKind { Object, Array, String, Number, True, False, Null }

/// <summary>
/// A minimal JSON tree that remembers where every value starts, so that schema errors can name
/// the line and column of the offending value (System.Text.Json's DOM does not keep positions).
/// </summary>
internal sealed class PositionedJson
{
    private PositionedJson(JsonKind kind, int line, int column)
    {
        Kind = kind;
        Line = line;
        Column = column;
    }

    public JsonKind Kind { get; }
    public int Line { get; }
    public int Column { get; }
    public string? Text { get; private init; }
    public string? RawNumber { get; private init; }
    public IReadOnlyList<KeyValuePair<string, PositionedJson>> Properties { get; private init; } = [];
    public IReadOnlyList<PositionedJson> Items { get; private init; } = [];

    public PositionedJson? Property(string name)
    {
        PositionedJson? found = null;
        foreach (var (key, value) in Properties)
        {
            if (key == name)
                found = value; // the last occurrence wins, as with Jackson
        }

        return found;
    }

    public string Describe() => Kind switch
    {
        JsonKind.String => $"\"{Text}\"",
        JsonKind.Number => RawNumber!,
        JsonKind.Object => "an object",
        JsonKind.Array => "an array",
        JsonKind.True => "true",
        JsonKind.False => "false",
        _ => "null",
    };

    /// <summary>Parses JSON text; syntax errors become <see cref="SchemaParseException"/> with the position.</summary>
    public static PositionedJson Parse(string text, string source)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new SchemaParseException(source, 1, 1, "the schema is empty; expected Avro schema JSON");
        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read())
                throw new SchemaParseException(source, 1, 1, "the file is empty; expected an Avro schema (JSON)");
            var root = ReadValue(ref reader, lines, bytes);
            if (reader.Read())
            {
                var (line, column) = Locate(lines, bytes, (int)reader.TokenStartIndex);
                throw new SchemaParseException(source, line, column, "unexpected content after the schema");
            }

            return root;
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var column = (int)(e.BytePositionInLine ?? 0) + 1;
            throw new SchemaParseException(source, line, column, $"invalid JSON: {StripPosition(e.Message)}");
        }
    }

    private static string StripPosition(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut].TrimEnd('.', ' ');
    }

    private static PositionedJson ReadValue(ref Utf8JsonReader reader, List<int> lines, byte[] bytes)
    {
        var (line, column) = Locate(lines, bytes, (int)reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var properties = new List<KeyValuePair<string, PositionedJson>>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    properties.Add(new(name, ReadValue(ref reader, lines, bytes)));
                }

                return new PositionedJson(JsonKind.Object, line, column) { Properties = properties };
            case JsonTokenType.StartArray:
                var items = new List<PositionedJson>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadValue(ref reader, lines, bytes));
                return new PositionedJson(JsonKind.Array, line, column) { Items = items };
            case JsonTokenType.String:
                return new PositionedJson(JsonKind.String, line, column) { Text = reader.GetString() };
            case JsonTokenType.Number:
                return new PositionedJson(JsonKind.Number, line, column) { RawNumber = Encoding.UTF8.GetString(reader.ValueSpan) };
            case JsonTokenType.True:
                return new PositionedJson(JsonKind.True, line, column);
            case JsonTokenType.False:
                return new PositionedJson(JsonKind.False, line, column);
            default:
                return new PositionedJson(JsonKind.Null, line, column);
        }
    }

    private static List<int> LineStarts(byte[] bytes)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
                starts.Add(i + 1);
        }

        return starts;
    }

    private static (int Line, int Column) Locate(List<int> lines, byte[] bytes, int offset)
    {
        var index = lines.BinarySearch(offset);
        if (index < 0)
            index = ~index - 1;
        var column = Encoding.UTF8.GetCharCount(bytes, lines[index], offset - lines[index]) + 1;
        return (index + 1, column);
    }
}
