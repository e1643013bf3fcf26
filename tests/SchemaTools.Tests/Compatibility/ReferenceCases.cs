using System.Text.Json;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.SchemaTools.Tests.Compatibility;

/// <summary>
/// Finds the shared Avro compatibility reference cases (459 cases from Apache Avro, Confluent and
/// Karapace, see their README). Their README asks that they are not copied into the repository, so
/// they are read from <c>shared/reference/avro-compat/cases.json</c> in a folder above the clone (or
/// from AVRO_COMPAT_CASES); where none exists the theory is skipped with that reason.
/// </summary>
internal static class ReferenceCases
{
    public const string Variable = "AVRO_COMPAT_CASES";

    private static readonly Lazy<IReadOnlyDictionary<string, JsonElement>?> Cases = new(Load);

    public static string? FilePath { get; } = Find();

    public static IReadOnlyDictionary<string, JsonElement>? All => Cases.Value;

    private static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"{Variable} names {configured}, which does not exist.");
        for (var dir = new DirectoryInfo(RepositoryRoot.Path); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", "avro-compat", "cases.json");
            if (File.Exists(candidate))
                return candidate;
        }

        return null;
    }

    private static IReadOnlyDictionary<string, JsonElement>? Load()
    {
        if (FilePath is null)
            return null;
        using var document = JsonDocument.Parse(File.ReadAllText(FilePath));
        return document.RootElement.EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.Clone(), StringComparer.Ordinal);
    }
}
