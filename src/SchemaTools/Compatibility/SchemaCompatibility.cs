using EventSourcing.SchemaTools.Parsing;

namespace EventSourcing.SchemaTools.Compatibility;

/// <summary>
/// Checks a candidate schema against the previous versions of a subject under a Confluent
/// compatibility level, as the Confluent Schema Registry does: BACKWARD means the candidate reads
/// data written with the latest previous version, FORWARD means the latest previous version reads
/// data written with the candidate, FULL means both; the transitive levels check every previous
/// version instead of only the latest. NONE accepts everything.
/// </summary>
public static class SchemaCompatibility
{
    /// <param name="level">The subject's compatibility level.</param>
    /// <param name="previousOldestFirst">The registered versions, oldest first; the last one is the latest.</param>
    /// <param name="candidate">The schema about to be registered.</param>
    public static CompatibilityResult Check(CompatibilityLevel level, IReadOnlyList<AvroSchema> previousOldestFirst, AvroSchema candidate)
    {
        ArgumentNullException.ThrowIfNull(previousOldestFirst);
        ArgumentNullException.ThrowIfNull(candidate);
        if (level == CompatibilityLevel.None || previousOldestFirst.Count == 0)
            return CompatibilityResult.Compatible;

        var first = level.IsTransitive() ? 0 : previousOldestFirst.Count - 1;
        var violations = new List<CompatibilityViolation>();
        for (var i = previousOldestFirst.Count - 1; i >= first; i--)
        {
            var previous = previousOldestFirst[i];
            if (level.ChecksBackward())
                Add(violations, ReaderWriterChecker.Check(reader: candidate, writer: previous), CompatibilityDirection.Backward, i);
            if (level.ChecksForward())
                Add(violations, ReaderWriterChecker.Check(reader: previous, writer: candidate), CompatibilityDirection.Forward, i);
        }

        return violations.Count == 0 ? CompatibilityResult.Compatible : new CompatibilityResult(violations);
    }

    /// <summary>The same check on schema JSON text; a schema that does not parse throws <see cref="SchemaParseException"/>
    /// naming <c>previous[i]</c> or <c>candidate</c> and the position.</summary>
    public static CompatibilityResult Check(CompatibilityLevel level, IReadOnlyList<string> previousOldestFirst, string candidate)
    {
        ArgumentNullException.ThrowIfNull(previousOldestFirst);
        var previous = previousOldestFirst.Select((json, i) => AvroSchema.Parse(json, $"previous[{i}]")).ToList();
        return Check(level, previous, AvroSchema.Parse(candidate, "candidate"));
    }

    /// <summary>The same check on Apache.Avro schema objects (as used by Confluent's serializers).</summary>
    public static CompatibilityResult Check(CompatibilityLevel level, IReadOnlyList<Avro.Schema> previousOldestFirst, Avro.Schema candidate)
    {
        ArgumentNullException.ThrowIfNull(previousOldestFirst);
        ArgumentNullException.ThrowIfNull(candidate);
        return Check(level, previousOldestFirst.Select(s => s.ToString()).ToList(), candidate.ToString());
    }

    /// <summary>Can <paramref name="reader"/> read data written with <paramref name="writer"/>?</summary>
    public static CompatibilityResult CanRead(AvroSchema reader, AvroSchema writer) =>
        Check(CompatibilityLevel.Backward, [writer], reader);

    private static void Add(List<CompatibilityViolation> into, IReadOnlyList<Incompatibility> found, CompatibilityDirection direction, int index)
    {
        foreach (var item in found)
            into.Add(new CompatibilityViolation(item.Path, item.Rule, item.Message, direction, index));
    }
}
