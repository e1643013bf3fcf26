using System.Globalization;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>The naming convention of versioned read-model indices behind an alias: <c>orders</c> -&gt; <c>orders-v3</c>.</summary>
public static class ElasticsearchIndexNames
{
    public static string Index(string alias, int version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        if (version < 1)
            throw new ArgumentOutOfRangeException(nameof(version), version, $"read-model version of '{alias}' must be at least 1.");
        return alias + "-v" + version.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The wildcard that matches every version of <paramref name="alias"/>.</summary>
    public static string AllVersions(string alias) => alias + "-v*";

    /// <summary>The version of <paramref name="index"/> if it is a versioned index of <paramref name="alias"/>.</summary>
    public static bool TryParseVersion(string alias, string index, out int version)
    {
        version = 0;
        var prefix = alias + "-v";
        return index.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(index.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out version)
            && version > 0;
    }
}
