using EventSourcing.SchemaTools.Parsing;

namespace EventSourcing.SchemaTools.Compatibility;

/// <summary>Why stored JSON of an older schema would not bind, by name, to the current type at one field.</summary>
public enum JsonBindingBreakKind { Renamed, Retyped, Missing, NowRequired }

/// <param name="Path">The field path, as the compatibility rules write it (<c>lines[].qty</c>).</param>
/// <param name="StoredAs">For a rename, the stored field name; for a retype, the stored type.</param>
public sealed record JsonBindingBreak(string Path, JsonBindingBreakKind Kind, string Field, string? StoredAs, string? ReadAs);

/// <summary>
/// Would the JSON the event store holds for an older schema still bind to the current type? The store's
/// reader (System.Text.Json through Marten) matches properties by name only and fills whatever it does not
/// find with the type's default, so this is stricter than Avro: an Avro field alias (a rename) does not
/// reach it, nor do logical-type changes, string/bytes or narrowing number changes. A field the current
/// type lacks (a removed field) is skipped by both and is fine; a new field is fine when it has a default.
/// Each break needs an upcaster from the stored version.
/// </summary>
public static class StoredJsonBinding
{
    public static IReadOnlyList<JsonBindingBreak> Check(AvroSchema current, AvroSchema stored)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(stored);
        var breaks = new List<JsonBindingBreak>();
        Compare([], "(root)", current, stored, breaks, new HashSet<(AvroSchema, AvroSchema)>(PairComparer.Instance));
        return breaks;
    }

    private static void Compare(List<string> path, string field, AvroSchema reader, AvroSchema writer, List<JsonBindingBreak> breaks, HashSet<(AvroSchema, AvroSchema)> seen)
    {
        if (!seen.Add((reader, writer)))
            return;
        var (readerCore, readerNullable) = Core(reader);
        var (writerCore, writerNullable) = Core(writer);
        if (writerNullable && !readerNullable)
        {
            breaks.Add(new JsonBindingBreak(PathOf(path), JsonBindingBreakKind.NowRequired, field, Describe(writer), Describe(reader)));
            return;
        }

        if (readerCore is UnionSchema readerUnion)
        {
            var branch = readerUnion.Branches.FirstOrDefault(b => b.Type != AvroType.Null && SameKind(b, writerCore));
            if (branch is null)
                breaks.Add(new JsonBindingBreak(PathOf(path), JsonBindingBreakKind.Retyped, field, Describe(writerCore), Describe(readerCore)));
            else
                Compare(path, field, branch, writerCore, breaks, seen);
            return;
        }

        if (!SameKind(readerCore, writerCore))
        {
            breaks.Add(new JsonBindingBreak(PathOf(path), JsonBindingBreakKind.Retyped, field, Describe(writerCore), Describe(readerCore)));
            return;
        }

        switch (readerCore)
        {
            case RecordSchema record:
                Fields(path, record, (RecordSchema)writerCore, breaks, seen);
                break;
            case EnumSchema symbols when ((EnumSchema)writerCore).Symbols.Except(symbols.Symbols, StringComparer.Ordinal).ToList() is { Count: > 0 } gone:
                breaks.Add(new JsonBindingBreak(PathOf(path), JsonBindingBreakKind.Retyped, field,
                    $"enum with {string.Join(", ", gone)}", $"enum {symbols.Name} without {(gone.Count == 1 ? "it" : "them")}"));
                break;
            case ArraySchema array:
                Nested(path, "[]", field, array.Items, ((ArraySchema)writerCore).Items, breaks, seen);
                break;
            case MapSchema map:
                Nested(path, "{}", field, map.Values, ((MapSchema)writerCore).Values, breaks, seen);
                break;
        }
    }

    private static void Fields(List<string> path, RecordSchema reader, RecordSchema writer, List<JsonBindingBreak> breaks, HashSet<(AvroSchema, AvroSchema)> seen)
    {
        foreach (var field in reader.Fields)
        {
            if (writer.Field(field.Name) is { } stored)
            {
                Nested(path, field.Name, field.Name, field.Schema, stored.Schema, breaks, seen);
                continue;
            }

            path.Add(field.Name);
            var renamedFrom = writer.Fields.FirstOrDefault(w => field.Aliases.Contains(w.Name, StringComparer.Ordinal));
            if (renamedFrom is not null)
                breaks.Add(new JsonBindingBreak(PathOf(path), JsonBindingBreakKind.Renamed, field.Name, renamedFrom.Name, null));
            else if (!field.HasDefault)
                breaks.Add(new JsonBindingBreak(PathOf(path), JsonBindingBreakKind.Missing, field.Name, null, Describe(field.Schema)));
            path.RemoveAt(path.Count - 1);
        }
    }

    private static void Nested(List<string> path, string segment, string field, AvroSchema reader, AvroSchema writer, List<JsonBindingBreak> breaks, HashSet<(AvroSchema, AvroSchema)> seen)
    {
        path.Add(segment);
        Compare(path, field, reader, writer, breaks, seen);
        path.RemoveAt(path.Count - 1);
    }

    /// <summary>A <c>["null", T]</c> union as (T, nullable); anything else as it is.</summary>
    private static (AvroSchema Core, bool Nullable) Core(AvroSchema schema)
    {
        if (schema is not UnionSchema union)
            return (schema, schema.Type == AvroType.Null);
        var nullable = union.Branches.Any(b => b.Type == AvroType.Null);
        var others = union.Branches.Where(b => b.Type != AvroType.Null).ToList();
        return others.Count == 1 ? (others[0], nullable) : (union, nullable);
    }

    /// <summary>Same JSON shape and the same meaning: numbers may widen (int, long, float, double), logical types must match.</summary>
    private static bool SameKind(AvroSchema reader, AvroSchema writer)
    {
        if (!string.Equals(reader.LogicalType, writer.LogicalType, StringComparison.Ordinal))
            return false;
        if (reader.Type == writer.Type)
            return reader is not FixedSchema fixedReader || fixedReader.Size == ((FixedSchema)writer).Size;
        return NumberRank(reader.Type) is { } r && NumberRank(writer.Type) is { } w && r >= w;
    }

    private static int? NumberRank(AvroType type) => type switch
    {
        AvroType.Int => 1,
        AvroType.Long => 2,
        AvroType.Float => 3,
        AvroType.Double => 4,
        _ => null,
    };

    private static string Describe(AvroSchema schema) => schema switch
    {
        UnionSchema union => string.Join(" or ", union.Branches.Select(Describe)),
        NamedSchema named => $"{named.Type.ToString().ToLowerInvariant()} {named.Name}",
        ArraySchema array => $"array of {Describe(array.Items)}",
        MapSchema map => $"map of {Describe(map.Values)}",
        _ when schema.LogicalType is { } logical => $"{schema.Type.ToString().ToLowerInvariant()} ({logical})",
        _ => schema.Type.ToString().ToLowerInvariant(),
    };

    private static string PathOf(List<string> path)
    {
        if (path.Count == 0)
            return "(root)";
        var text = new System.Text.StringBuilder();
        foreach (var segment in path)
        {
            if (text.Length > 0 && segment is not "[]" and not "{}")
                text.Append('.');
            text.Append(segment);
        }

        return text.ToString();
    }

    private sealed class PairComparer : IEqualityComparer<(AvroSchema, AvroSchema)>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals((AvroSchema, AvroSchema) x, (AvroSchema, AvroSchema) y) =>
            ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((AvroSchema, AvroSchema) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
    }
}
