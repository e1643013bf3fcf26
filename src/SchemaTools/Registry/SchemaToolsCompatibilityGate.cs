using EventSourcing.SchemaTools.Compatibility;

namespace EventSourcing.SchemaTools.Registry;

using Compatibility = Confluent.SchemaRegistry.Compatibility;

/// <summary>
/// The production gate: the embedded registry judges a registration with the same checker the CI
/// gate (<c>schema-tools check</c>) runs, so a schema CI accepts is a schema the registry accepts.
/// Each violation reads <c>path: RULE: message (direction)</c>.
/// </summary>
public sealed class SchemaToolsCompatibilityGate : ISchemaCompatibilityGate
{
    public static SchemaToolsCompatibilityGate Instance { get; } = new();

    public IReadOnlyList<string> Check(Compatibility level, IReadOnlyList<string> previousOldestFirst, string candidate) =>
        SchemaCompatibility.Check(ToLevel(level), previousOldestFirst, candidate).Violations.Select(v => v.ToString()).ToList();

    private static CompatibilityLevel ToLevel(Compatibility level) => level switch
    {
        Compatibility.None => CompatibilityLevel.None,
        Compatibility.Backward => CompatibilityLevel.Backward,
        Compatibility.BackwardTransitive => CompatibilityLevel.BackwardTransitive,
        Compatibility.Forward => CompatibilityLevel.Forward,
        Compatibility.ForwardTransitive => CompatibilityLevel.ForwardTransitive,
        Compatibility.Full => CompatibilityLevel.Full,
        Compatibility.FullTransitive => CompatibilityLevel.FullTransitive,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "unknown compatibility level"),
    };
}
