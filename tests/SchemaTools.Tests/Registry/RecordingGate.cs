using Confluent.SchemaRegistry;
using EventSourcing.SchemaTools.Registry;

namespace EventSourcing.SchemaTools.Tests.Registry;

using Compatibility = Confluent.SchemaRegistry.Compatibility;

/// <summary>A gate that records what the registry asked and answers with the violations it was given.</summary>
internal sealed class RecordingGate(params string[] violations) : ISchemaCompatibilityGate
{
    public List<(Compatibility Level, IReadOnlyList<string> Previous, string Candidate)> Calls { get; } = [];

    public IReadOnlyList<string> Check(Compatibility level, IReadOnlyList<string> previousOldestFirst, string candidate)
    {
        Calls.Add((level, previousOldestFirst, candidate));
        return violations;
    }
}
