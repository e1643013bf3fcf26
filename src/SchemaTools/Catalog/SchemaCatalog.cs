using System.Text;
using System.Text.Json;
using EventSourcing.SchemaTools.Compatibility;

namespace EventSourcing.SchemaTools.Catalog;

/// <summary>One version of a subject in the catalog: <c>schemas/&lt;subject&gt;/v&lt;N&gt;.avsc</c>.</summary>
/// <param name="EventVersion">The <c>[EventName(Version = ...)]</c> of the CLR type when this version was generated.</param>
public sealed record CatalogVersion(int Version, int EventVersion, string File, string Schema);

/// <summary>A subject (one event type) with its compatibility level and its versions, oldest first.</summary>
public sealed record CatalogSubject(string Name, CompatibilityLevel Compatibility, IReadOnlyList<CatalogVersion> Versions)
{
    public CatalogVersion? Latest => Versions.Count == 0 ? null : Versions[^1];
}

/// <summary>
/// The schema catalog committed in the repository: the registry's history kept in git.
/// <c>index.json</c> lists every subject with its level and versions; each version's schema is in
/// <c>&lt;subject&gt;/v&lt;N&gt;.avsc</c>. Everything is written deterministically (sorted, '\n').
/// </summary>
public sealed class SchemaCatalog
{
    public const string IndexFile = "index.json";
    private readonly SortedDictionary<string, CatalogSubject> _subjects = new(StringComparer.Ordinal);

    private SchemaCatalog(string directory, CompatibilityLevel defaultCompatibility)
    {
        Directory = directory;
        DefaultCompatibility = defaultCompatibility;
    }

    public string Directory { get; }

    /// <summary>The level new subjects get (BACKWARD, the registry's default, unless the index says otherwise).</summary>
    public CompatibilityLevel DefaultCompatibility { get; }

    public IReadOnlyCollection<CatalogSubject> Subjects => _subjects.Values;

    public CatalogSubject? Find(string subject) => _subjects.GetValueOrDefault(subject);

    /// <summary>Loads a catalog; a directory without an index is an empty catalog. A malformed index or a
    /// missing schema file is an error naming the file.</summary>
    public static SchemaCatalog Load(string directory)
    {
        var indexPath = Path.Combine(directory, IndexFile);
        if (!File.Exists(indexPath))
            return new SchemaCatalog(directory, CompatibilityLevel.Backward);
        try
        {
            using var index = JsonDocument.Parse(File.ReadAllText(indexPath));
            var root = index.RootElement;
            var defaultLevel = root.TryGetProperty("defaultCompatibility", out var d) ? CompatibilityLevels.Parse(d.GetString()!) : CompatibilityLevel.Backward;
            var catalog = new SchemaCatalog(directory, defaultLevel);
            foreach (var subject in root.GetProperty("subjects").EnumerateObject())
            {
                var level = CompatibilityLevels.Parse(subject.Value.GetProperty("compatibility").GetString()!);
                var versions = subject.Value.GetProperty("versions").EnumerateArray().Select(v =>
                {
                    var file = v.GetProperty("file").GetString()!;
                    var full = Path.Combine(directory, file);
                    if (!File.Exists(full))
                        throw new InvalidDataException($"{indexPath}: subject {subject.Name} lists {file}, which does not exist.");
                    return new CatalogVersion(v.GetProperty("version").GetInt32(), v.GetProperty("eventVersion").GetInt32(), file, File.ReadAllText(full));
                }).OrderBy(v => v.Version).ToList();
                catalog._subjects[subject.Name] = new CatalogSubject(subject.Name, level, versions);
            }

            return catalog;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"{indexPath}: not a valid catalog index ({e.Message}).", e);
        }
    }

    /// <summary>Appends a version to a subject (creating it with the default level) and writes its .avsc file.</summary>
    public CatalogVersion Add(string subject, string schema, int eventVersion)
    {
        var existing = Find(subject) ?? new CatalogSubject(subject, DefaultCompatibility, []);
        var number = existing.Versions.Count == 0 ? 1 : existing.Versions[^1].Version + 1;
        var file = $"{subject}/v{number}.avsc";
        var version = new CatalogVersion(number, eventVersion, file, schema);
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, subject));
        File.WriteAllText(Path.Combine(Directory, file), schema, new UTF8Encoding(false));
        _subjects[subject] = existing with { Versions = [.. existing.Versions, version] };
        return version;
    }

    /// <summary>Sets a subject's level (the subject must exist).</summary>
    public void SetCompatibility(string subject, CompatibilityLevel level) =>
        _subjects[subject] = (Find(subject) ?? throw new ArgumentException($"the catalog has no subject '{subject}'.", nameof(subject))) with { Compatibility = level };

    /// <summary>Writes index.json.</summary>
    public void Save()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 2, NewLine = "\n" }))
        {
            writer.WriteStartObject();
            writer.WriteString("defaultCompatibility", DefaultCompatibility.ToRegistryName());
            writer.WriteStartObject("subjects");
            foreach (var subject in _subjects.Values)
            {
                writer.WriteStartObject(subject.Name);
                writer.WriteString("compatibility", subject.Compatibility.ToRegistryName());
                writer.WriteStartArray("versions");
                foreach (var version in subject.Versions)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("version", version.Version);
                    writer.WriteNumber("eventVersion", version.EventVersion);
                    writer.WriteString("file", version.File);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        File.WriteAllText(Path.Combine(Directory, IndexFile), Encoding.UTF8.GetString(buffer.ToArray()) + "\n", new UTF8Encoding(false));
    }
}
