using System.Text.Json.Nodes;

namespace EventSourcing.Projections.Definitions;

/// <summary>
/// Elasticsearch index mappings and settings declared with a projection, as the JSON bodies of the
/// create-index API (<c>{"mappings": ..., "settings": ...}</c>). The Elasticsearch sink applies them
/// when it creates the index of a read-model version; other sinks ignore them.
/// </summary>
public sealed record SearchIndexDefinition(JsonObject Mappings, JsonObject? Settings = null)
{
    /// <summary>Parses the two JSON objects; a malformed one fails here, naming itself.</summary>
    public static SearchIndexDefinition Parse(string mappingsJson, string? settingsJson = null)
    {
        return new SearchIndexDefinition(ParseObject(mappingsJson, "mappings"),
            settingsJson is null ? null : ParseObject(settingsJson, "settings"));
    }

    private static JsonObject ParseObject(string json, string what)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject
                   ?? throw new ArgumentException($"the search index {what} must be a JSON object, got: {json}", what);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ArgumentException($"the search index {what} is not valid JSON: {e.Message}", what, e);
        }
    }
}
