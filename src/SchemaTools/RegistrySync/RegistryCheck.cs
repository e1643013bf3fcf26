using Confluent.SchemaRegistry;
using EventSourcing.SchemaTools.Catalog;
using EventSourcing.SchemaTools.Compatibility;
using EventSourcing.SchemaTools.Parsing;

namespace EventSourcing.SchemaTools.RegistrySync;

/// <summary>
/// <c>check --registry</c>: each current schema against the versions a live registry holds for its
/// subject, under the registry's level for that subject. The registry's own verdict
/// (<c>IsCompatibleAsync</c>) decides; our checker explains which field broke which rule, and a
/// disagreement between the two is itself reported.
/// </summary>
public static class RegistryCheck
{
    public static async Task<IReadOnlyList<CheckFinding>> RunAsync(ISchemaRegistryClient client, IReadOnlyList<CurrentSchema> current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(current);
        var findings = new List<CheckFinding>();
        foreach (var schema in current)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var versions = await RegistryLevels.Versions(client, schema.Subject);
            if (versions.Count == 0)
                continue; // a new subject: the registry accepts any first version
            var level = await RegistryLevels.OfSubject(client, schema.Subject);
            var previous = versions.Select(v => AvroSchema.Parse(v.SchemaString, $"registry {schema.Subject} version {v.Version}")).ToList();
            var ours = SchemaCompatibility.Check(level, previous, AvroSchema.Parse(schema.Schema, schema.ClrType.FullName!));
            var theirs = await client.IsCompatibleAsync(schema.Subject, new Schema(schema.Schema, SchemaType.Avro));
            foreach (var v in ours.Violations)
            {
                findings.Add(new CheckFinding(schema.Subject, v.RuleName, v.Path,
                    $"{v.Message} ({level.ToRegistryName()} in the registry: {(v.Direction == CompatibilityDirection.Backward ? $"cannot read registry version {versions[v.PreviousIndex].Version}" : $"registry version {versions[v.PreviousIndex].Version} cannot read it")})"));
            }

            if (theirs == ours.IsCompatible)
                continue;
            findings.Add(new CheckFinding(schema.Subject, "REGISTRY_DISAGREES", "(root)", theirs
                ? "the registry would accept this schema although the local checker reports the violations above; please report this"
                : $"the registry rejects this schema under {level.ToRegistryName()} although the local checker finds no violation; please report this"));
        }

        return findings;
    }
}
