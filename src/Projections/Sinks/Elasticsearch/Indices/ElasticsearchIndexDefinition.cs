using System.Text.RegularExpressions;
using Elastic.Clients.Elasticsearch.IndexManagement;
using Elastic.Clients.Elasticsearch.Mapping;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// The Elasticsearch layout of one read model, declared with its projection: the alias that searches use,
/// and the mappings and settings every versioned index (<c>&lt;alias&gt;-v&lt;N&gt;</c>) is created with.
/// Queries always go to <see cref="Alias"/>; only the sink and rebuilds address a versioned index.
/// </summary>
public sealed partial record ElasticsearchIndexDefinition
{
    public ElasticsearchIndexDefinition(string alias, TypeMapping? mappings = null, IndexSettings? settings = null)
    {
        if (!IsValidName(alias))
            throw new ArgumentException(
                $"'{alias}' is not a valid Elasticsearch alias: use lowercase letters, digits, '-', '_' or '.', not starting with '-', '_' or '.', at most 200 characters.",
                nameof(alias));
        Alias = alias;
        Mappings = mappings;
        Settings = settings;
    }

    /// <summary>The stable name searches use, e.g. <c>orders</c>.</summary>
    public string Alias { get; }

    public TypeMapping? Mappings { get; }

    public IndexSettings? Settings { get; }

    /// <summary>Declares the layout with the client's typed descriptors.</summary>
    public static ElasticsearchIndexDefinition For<TDocument>(
        string alias,
        Action<TypeMappingDescriptor<TDocument>>? mappings = null,
        Action<IndexSettingsDescriptor<TDocument>>? settings = null)
    {
        TypeMapping? mapping = null;
        if (mappings is not null)
        {
            mapping = new TypeMapping();
            mappings(new TypeMappingDescriptor<TDocument>(mapping));
        }

        IndexSettings? indexSettings = null;
        if (settings is not null)
        {
            indexSettings = new IndexSettings();
            settings(new IndexSettingsDescriptor<TDocument>(indexSettings));
        }

        return new ElasticsearchIndexDefinition(alias, mapping, indexSettings);
    }

    /// <summary>The concrete index of read-model version <paramref name="version"/>: <c>&lt;alias&gt;-v&lt;N&gt;</c>.</summary>
    public string IndexFor(int version) => ElasticsearchIndexNames.Index(Alias, version);

    private static bool IsValidName(string? name) => name is { Length: > 0 and <= 200 } && NamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
