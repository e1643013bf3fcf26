namespace EventSourcing.SchemaTools.Tests.Compatibility;

/// <summary>Schemas for the project's own rule table, written small so each case reads on one line.</summary>
internal static class S
{
    public static string Record(string name, params string[] fields) =>
        $$"""{"type":"record","name":"{{name}}","fields":[{{string.Join(",", fields)}}]}""";

    public static string RecordNs(string name, string space, params string[] fields) =>
        $$"""{"type":"record","name":"{{name}}","namespace":"{{space}}","fields":[{{string.Join(",", fields)}}]}""";

    public static string RecordAliased(string name, string alias, params string[] fields) =>
        $$"""{"type":"record","name":"{{name}}","aliases":["{{alias}}"],"fields":[{{string.Join(",", fields)}}]}""";

    public static string Field(string name, string type) => $$"""{"name":"{{name}}","type":{{type}}}""";

    public static string Field(string name, string type, string defaultJson) =>
        $$"""{"name":"{{name}}","type":{{type}},"default":{{defaultJson}}}""";

    public static string AliasedField(string name, string alias, string type) =>
        $$"""{"name":"{{name}}","aliases":["{{alias}}"],"type":{{type}}}""";

    public static string Enum(string name, params string[] symbols) =>
        $$"""{"type":"enum","name":"{{name}}","symbols":[{{string.Join(",", symbols.Select(s => $"\"{s}\""))}}]}""";

    public static string EnumWithDefault(string name, string defaultSymbol, params string[] symbols) =>
        $$"""{"type":"enum","name":"{{name}}","symbols":[{{string.Join(",", symbols.Select(s => $"\"{s}\""))}}],"default":"{{defaultSymbol}}"}""";

    public static string Fixed(string name, int size) => $$"""{"type":"fixed","name":"{{name}}","size":{{size}}}""";

    public static string Array(string items) => $$"""{"type":"array","items":{{items}}}""";

    public static string Map(string values) => $$"""{"type":"map","values":{{values}}}""";

    public static string Q(string primitive) => $"\"{primitive}\"";
}
