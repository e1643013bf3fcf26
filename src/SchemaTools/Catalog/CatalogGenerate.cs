namespace EventSourcing.SchemaTools.Catalog;

/// <summary>What <c>generate</c> did for one subject.</summary>
public sealed record GeneratedVersion(string Subject, CatalogVersion? Added, int LatestVersion)
{
    public bool Changed => Added is not null;
}

public static class CatalogGenerate
{
    /// <summary>Writes each current schema that differs from its subject's latest version as a new version, then saves the index.</summary>
    public static IReadOnlyList<GeneratedVersion> Run(SchemaCatalog catalog, IReadOnlyList<CurrentSchema> current)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(current);
        var results = new List<GeneratedVersion>();
        foreach (var schema in current.OrderBy(c => c.Subject, StringComparer.Ordinal))
        {
            var latest = catalog.Find(schema.Subject)?.Latest;
            if (latest is not null && string.Equals(latest.Schema.ReplaceLineEndings("\n").Trim(), schema.Schema.ReplaceLineEndings("\n").Trim(), StringComparison.Ordinal))
            {
                results.Add(new GeneratedVersion(schema.Subject, null, latest.Version));
                continue;
            }

            var added = catalog.Add(schema.Subject, schema.Schema, schema.EventVersion);
            results.Add(new GeneratedVersion(schema.Subject, added, added.Version));
        }

        catalog.Save();
        return results;
    }
}
