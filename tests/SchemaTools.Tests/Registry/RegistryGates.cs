using EventSourcing.SchemaTools.Registry;

namespace EventSourcing.SchemaTools.Tests.Registry;

internal static class RegistryGates
{
    /// <summary>The production gate: the SchemaTools compatibility checker.</summary>
    public static ISchemaCompatibilityGate Checker() => SchemaToolsCompatibilityGate.Instance;
}
