using EventSourcing.SchemaTools.Registry;
using EventSourcing.SchemaTools.RegistrySync;

namespace EventSourcing.SchemaTools.Compatibility;

/// <summary>
/// The production <see cref="ISchemaCompatibilityGate"/> for the embedded registry: the same checker
/// the CI gate runs. Each violation is one line: <c>path: RULE: message (direction)</c>.
/// </summary>
public sealed class CheckerCompatibilityGate : ISchemaCompatibilityGate
{
    public IReadOnlyList<string> Check(Confluent.SchemaRegistry.Compatibility level, IReadOnlyList<string> previousOldestFirst, string candidate) =>
        SchemaCompatibility.Check(RegistryLevels.FromConfluent(level), previousOldestFirst, candidate).Violations.Select(v => v.ToString()).ToList();
}
