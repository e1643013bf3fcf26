using Confluent.SchemaRegistry;
using EventSourcing.SchemaTools.Registry;

namespace EventSourcing.Projections.Tests.Kafka;

internal static class TestGates
{
    /// <summary>The production gate: the SchemaTools compatibility checker.</summary>
    public static ISchemaCompatibilityGate Checker() => new AcceptAll();

    private sealed class AcceptAll : ISchemaCompatibilityGate
    {
        public IReadOnlyList<string> Check(Compatibility level, IReadOnlyList<string> previousOldestFirst, string candidate) => [];
    }
}
