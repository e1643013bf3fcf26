using EventSourcing.SchemaTools.Compatibility;
using EventSourcing.SchemaTools.Parsing;

namespace EventSourcing.SchemaTools.Catalog;

/// <summary>
/// The CI gate over the catalog: each current schema against its subject's versions under the
/// subject's level, a catalog that is up to date with the code, and an upcaster for every historical
/// version the current type cannot read: under the subject's Avro level, or as stored JSON bound by name
/// (<see cref="StoredJsonBinding"/>: a renamed or retyped field, a required field old events lack), and for
/// every catalog subject that no current type has any more.
/// </summary>
public static class CatalogCheck
{
    public static IReadOnlyList<CheckFinding> Run(SchemaCatalog catalog, IReadOnlyList<CurrentSchema> current, IUpcasterLookup? upcasters)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(current);
        var findings = new List<CheckFinding>();
        foreach (var schema in current.OrderBy(c => c.Subject, StringComparer.Ordinal))
        {
            var subject = catalog.Find(schema.Subject);
            if (subject is null || subject.Versions.Count == 0)
            {
                findings.Add(new CheckFinding(schema.Subject, "NOT_IN_CATALOG", "(root)",
                    $"{schema.ClrType.FullName} has no schema in the catalog; run 'schema-tools generate' and commit schemas/"));
                continue;
            }

            var versions = subject.Versions.ToList();
            if (Same(versions[^1].Schema, schema.Schema))
            {
                versions.RemoveAt(versions.Count - 1);
            }
            else
            {
                findings.Add(new CheckFinding(schema.Subject, "CATALOG_OUT_OF_DATE", "(root)",
                    $"{schema.ClrType.FullName} differs from the catalog's latest version v{subject.Versions[^1].Version}; run 'schema-tools generate' and commit schemas/",
                    subject.Versions[^1].File));
            }

            var candidate = AvroSchema.Parse(schema.Schema, $"{schema.ClrType.FullName} (generated)");
            var previous = versions.Select(v => AvroSchema.Parse(v.Schema, Path.Combine(catalog.Directory, v.File))).ToList();
            findings.AddRange(Compatibility(schema.Subject, subject.Compatibility, versions, previous, candidate));
            if (upcasters is not null)
                findings.AddRange(Upcasters(schema, subject.Compatibility, versions, previous, candidate, upcasters));
        }

        if (upcasters is not null)
            findings.AddRange(Orphans(catalog, current, upcasters));

        return findings;
    }

    /// <summary>Violations of the level, each naming the catalog version it is against.</summary>
    public static IEnumerable<CheckFinding> Compatibility(string subject, CompatibilityLevel level, IReadOnlyList<CatalogVersion> versions, IReadOnlyList<AvroSchema> previous, AvroSchema candidate)
    {
        var result = SchemaCompatibility.Check(level, previous, candidate);
        return result.Violations.Select(v => new CheckFinding(subject, v.RuleName, v.Path,
            $"{v.Message} ({level.ToRegistryName()}: {Direction(v.Direction, versions[v.PreviousIndex].Version)})",
            versions[v.PreviousIndex].File));
    }

    private static IEnumerable<CheckFinding> Upcasters(CurrentSchema schema, CompatibilityLevel level, IReadOnlyList<CatalogVersion> versions, IReadOnlyList<AvroSchema> previous, AvroSchema candidate, IUpcasterLookup upcasters)
    {
        var pairwise = level switch
        {
            CompatibilityLevel.BackwardTransitive => CompatibilityLevel.Backward,
            CompatibilityLevel.ForwardTransitive => CompatibilityLevel.Forward,
            CompatibilityLevel.FullTransitive => CompatibilityLevel.Full,
            CompatibilityLevel.None => CompatibilityLevel.Backward,
            _ => level,
        };
        for (var i = 0; i < versions.Count; i++)
        {
            var version = versions[i];
            var avroCompatible = SchemaCompatibility.Check(pairwise, [previous[i]], candidate).IsCompatible;
            var breaks = StoredJsonBinding.Check(candidate, previous[i]);
            if (avroCompatible && breaks.Count == 0)
                continue;
            if (version.EventVersion >= schema.EventVersion)
            {
                if (!avroCompatible)
                {
                    yield return new CheckFinding(schema.Subject, "EVENT_VERSION_NOT_BUMPED", "(root)",
                        $"v{version.Version} (event version {version.EventVersion}) is not {pairwise.ToRegistryName()} compatible with {schema.ClrType.FullName}, whose [EventName] Version is still {schema.EventVersion}; raise it and register an upcaster from {version.EventVersion}",
                        version.File);
                }

                foreach (var jsonBreak in breaks)
                {
                    yield return new CheckFinding(schema.Subject, "EVENT_VERSION_NOT_BUMPED", jsonBreak.Path,
                        $"stored '{schema.EventName}' events of event version {version.EventVersion} (catalog v{version.Version}) {StoredShape(jsonBreak)}, " +
                        $"and {schema.ClrType.FullName} is still [EventName] Version {schema.EventVersion}, so the store cannot tell old events from new ones; " +
                        $"raise the Version and register an upcaster from {version.EventVersion} that {Remedy(jsonBreak)}",
                        version.File);
                }
            }
            else if (!upcasters.CanUpcast(schema.EventName, version.EventVersion, schema.EventVersion))
            {
                if (!avroCompatible)
                {
                    yield return new CheckFinding(schema.Subject, "MISSING_UPCASTER", "(root)",
                        $"stored '{schema.EventName}' events of event version {version.EventVersion} (catalog v{version.Version}) are not {pairwise.ToRegistryName()} compatible with event version {schema.EventVersion}, and no upcaster from version {version.EventVersion} is registered",
                        version.File);
                }

                foreach (var jsonBreak in breaks)
                {
                    yield return new CheckFinding(schema.Subject, "MISSING_UPCASTER", jsonBreak.Path,
                        $"stored '{schema.EventName}' events of event version {version.EventVersion} (catalog v{version.Version}) {StoredShape(jsonBreak)}; " +
                        $"register an upcaster from version {version.EventVersion} that {Remedy(jsonBreak)}",
                        version.File);
                }
            }
        }
    }

    /// <summary>Catalog subjects with no current event type (renamed away, split, retired): their stored events need an upcaster to a current type.</summary>
    private static IEnumerable<CheckFinding> Orphans(SchemaCatalog catalog, IReadOnlyList<CurrentSchema> current, IUpcasterLookup upcasters)
    {
        var subjects = current.Select(c => c.Subject).ToHashSet(StringComparer.Ordinal);
        foreach (var subject in catalog.Subjects.Where(s => !subjects.Contains(s.Name)).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            foreach (var version in subject.Versions.GroupBy(v => v.EventVersion).Select(g => g.Last()))
            {
                if (upcasters.CanUpcastSubject(subject.Name, version.EventVersion))
                    continue;
                yield return new CheckFinding(subject.Name, "MISSING_UPCASTER", "(root)",
                    $"stored '{subject.Name}' events of event version {version.EventVersion} (catalog v{version.Version}) have no current event type and no upcaster from version {version.EventVersion} is registered; " +
                    "register the rename (EventTypeRegistry.Rename) or split (EventTypeRegistry.Split) that turns them into current events",
                    version.File);
            }
        }
    }

    private static string StoredShape(JsonBindingBreak jsonBreak) => jsonBreak.Kind switch
    {
        JsonBindingBreakKind.Renamed =>
            $"hold this field as '{jsonBreak.StoredAs}': the Avro alias lets Avro readers find it, but the event store binds stored JSON by name and would leave {jsonBreak.Field} at its default",
        JsonBindingBreakKind.Retyped => $"hold this field as {jsonBreak.StoredAs}, which the current {jsonBreak.ReadAs} does not bind",
        JsonBindingBreakKind.NowRequired => $"may hold null in this field ({jsonBreak.StoredAs}), which the current {jsonBreak.ReadAs} requires",
        _ => $"lack this field, which has no default ({jsonBreak.ReadAs})",
    };

    private static string Remedy(JsonBindingBreak jsonBreak) => jsonBreak.Kind switch
    {
        JsonBindingBreakKind.Renamed => $"renames '{jsonBreak.StoredAs}' to '{jsonBreak.Field}'",
        JsonBindingBreakKind.Retyped => $"converts '{jsonBreak.Field}'",
        _ => $"fills '{jsonBreak.Field}'",
    };

    private static string Direction(CompatibilityDirection direction, int version) => direction == CompatibilityDirection.Backward
        ? $"the current type cannot read data written with v{version}"
        : $"readers still on v{version} cannot read data written with the current type";

    private static bool Same(string a, string b) =>
        string.Equals(a.ReplaceLineEndings("\n").Trim(), b.ReplaceLineEndings("\n").Trim(), StringComparison.Ordinal);
}
