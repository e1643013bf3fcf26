using Confluent.SchemaRegistry;

namespace EventSourcing.SchemaTools.Registry;

using Compatibility = Confluent.SchemaRegistry.Compatibility;

/// <summary>
/// The seam between the embedded registry and the SchemaTools compatibility checker: the registry
/// asks it whether a candidate schema may follow the subject's earlier versions under a level.
/// The registry never judges compatibility itself; the production implementation delegates to the
/// one checker in <c>src/SchemaTools/Compatibility</c>, the same one the CI gate runs.
/// </summary>
public interface ISchemaCompatibilityGate
{
    /// <summary>Violations of <paramref name="level"/> (empty when compatible), each naming the field path and the rule.</summary>
    IReadOnlyList<string> Check(Compatibility level, IReadOnlyList<string> previousOldestFirst, string candidate);
}
