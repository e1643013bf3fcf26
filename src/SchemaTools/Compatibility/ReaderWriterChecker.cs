using EventSourcing.SchemaTools.Parsing;

namespace EventSourcing.SchemaTools.Compatibility;

/// <summary>One incompatibility of a reader/writer pair, before the level adds the direction.</summary>
internal sealed record Incompatibility(string Path, CompatibilityRule Rule, string Message);

/// <summary>
/// Can a reader schema read everything a writer schema wrote? A port of Java Avro's
/// <c>SchemaCompatibility.ReaderWriterCompatibilityChecker</c>, which the Confluent Schema Registry
/// uses: named types match on the unqualified name or a reader alias for the writer's full name,
/// promotions int→long→float→double and string↔bytes, enum defaults, union branches, fixed sizes.
/// Pairs are memoised by reference and a pair met again while it is being checked counts as
/// compatible, which is how recursive types terminate.
/// </summary>
internal sealed class ReaderWriterChecker
{
    private static readonly List<Incompatibility> InProgress = [];
    private readonly Dictionary<(AvroSchema Reader, AvroSchema Writer), List<Incompatibility>> _memo = new(PairComparer.Instance);
    private readonly List<string> _path = [];

    public static IReadOnlyList<Incompatibility> Check(AvroSchema reader, AvroSchema writer) =>
        new ReaderWriterChecker().Get(reader, writer);

    private List<Incompatibility> Get(AvroSchema reader, AvroSchema writer)
    {
        if (_memo.TryGetValue((reader, writer), out var known))
            return ReferenceEquals(known, InProgress) ? [] : known;
        _memo[(reader, writer)] = InProgress;
        var result = Calculate(reader, writer);
        _memo[(reader, writer)] = result;
        return result;
    }

    private List<Incompatibility> Get(string segment, AvroSchema reader, AvroSchema writer)
    {
        _path.Add(segment);
        try
        {
            return Get(reader, writer);
        }
        finally
        {
            _path.RemoveAt(_path.Count - 1);
        }
    }

    private List<Incompatibility> Calculate(AvroSchema reader, AvroSchema writer)
    {
        if (reader.Type == writer.Type)
            return SameType(reader, writer);

        if (writer is UnionSchema writerUnion)
        {
            // A reader that can read every branch of the writer's union reads the union.
            var all = new List<Incompatibility>();
            foreach (var branch in writerUnion.Branches)
                all.AddRange(Get("|" + BranchName(branch), reader, branch));
            return all;
        }

        return reader.Type switch
        {
            AvroType.Long when writer.Type is AvroType.Int => [],
            AvroType.Float when writer.Type is AvroType.Int or AvroType.Long => [],
            AvroType.Double when writer.Type is AvroType.Int or AvroType.Long or AvroType.Float => [],
            AvroType.Bytes when writer.Type is AvroType.String => [],
            AvroType.String when writer.Type is AvroType.Bytes => [],
            AvroType.Union => ReaderUnion((UnionSchema)reader, writer),
            _ => [TypeMismatch(reader, writer)],
        };
    }

    private List<Incompatibility> SameType(AvroSchema reader, AvroSchema writer)
    {
        switch (reader)
        {
            case ArraySchema array:
                return Get("[]", array.Items, ((ArraySchema)writer).Items);
            case MapSchema map:
                return Get("{}", map.Values, ((MapSchema)writer).Values);
            case FixedSchema fixedReader:
                var fixedWriter = (FixedSchema)writer;
                var fixedResult = Names(fixedReader, fixedWriter);
                if (fixedReader.Size != fixedWriter.Size)
                    fixedResult.Add(Violation(CompatibilityRule.FixedSizeMismatch, $"fixed {fixedReader.FullName} has size {fixedReader.Size} but the writer's {fixedWriter.FullName} has size {fixedWriter.Size}"));
                return fixedResult;
            case EnumSchema enumReader:
                var enumResult = Names(enumReader, (NamedSchema)writer);
                enumResult.AddRange(EnumSymbols(enumReader, (EnumSchema)writer));
                return enumResult;
            case RecordSchema recordReader:
                var recordResult = Names(recordReader, (NamedSchema)writer);
                recordResult.AddRange(RecordFields(recordReader, (RecordSchema)writer));
                return recordResult;
            case UnionSchema readerUnion:
                // Every branch the writer may have written must be readable by the reader's union.
                var unionResult = new List<Incompatibility>();
                foreach (var branch in ((UnionSchema)writer).Branches)
                {
                    _path.Add("|" + BranchName(branch));
                    if (Get(readerUnion, branch).Count > 0)
                        unionResult.Add(MissingBranch(readerUnion, branch));
                    _path.RemoveAt(_path.Count - 1);
                }

                return unionResult;
            default:
                return []; // the same primitive type
        }
    }

    private List<Incompatibility> ReaderUnion(UnionSchema reader, AvroSchema writer)
    {
        foreach (var branch in reader.Branches)
        {
            if (Get(branch, writer).Count == 0)
                return [];
        }

        return [MissingBranch(reader, writer)];
    }

    private List<Incompatibility> RecordFields(RecordSchema reader, RecordSchema writer)
    {
        var result = new List<Incompatibility>();
        foreach (var readerField in reader.Fields)
        {
            _path.Add("." + readerField.Name);
            var matches = WriterFields(writer, readerField);
            if (matches.Count > 1)
            {
                result.Add(Violation(CompatibilityRule.AmbiguousFieldAlias,
                    $"reader field '{readerField.Name}' (aliases: {string.Join(", ", readerField.Aliases)}) matches several writer fields of {writer.FullName}: {string.Join(", ", matches.Select(m => m.Name))}"));
            }
            else if (matches.Count == 0)
            {
                if (!readerField.HasDefault)
                {
                    if (readerField.Schema is EnumSchema { Default: not null })
                        result.AddRange(Get(readerField.Schema, writer)); // Java compares the enum with the writer record here
                    else
                        result.Add(Violation(CompatibilityRule.ReaderFieldMissingDefaultValue,
                            $"reader field '{readerField.Name}' of {reader.FullName} has no default and the writer's {writer.FullName} has no field of that name or alias"));
                }
            }
            else
            {
                result.AddRange(Get(readerField.Schema, matches[0].Schema));
            }

            _path.RemoveAt(_path.Count - 1);
        }

        return result;
    }

    private static List<AvroField> WriterFields(RecordSchema writer, AvroField readerField)
    {
        var matches = new List<AvroField>();
        if (writer.Field(readerField.Name) is { } direct)
            matches.Add(direct);
        foreach (var alias in readerField.Aliases)
        {
            if (writer.Field(alias) is { } aliased)
                matches.Add(aliased);
        }

        return matches;
    }

    private List<Incompatibility> EnumSymbols(EnumSchema reader, EnumSchema writer)
    {
        var missing = writer.Symbols.Except(reader.Symbols, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (missing.Count == 0 || (reader.Default is not null && reader.Symbols.Contains(reader.Default, StringComparer.Ordinal)))
            return [];
        return [Violation(CompatibilityRule.MissingEnumSymbols,
            $"reader enum {reader.FullName} lacks the writer's symbols [{string.Join(", ", missing)}] and declares no default symbol")];
    }

    private List<Incompatibility> Names(NamedSchema reader, NamedSchema writer)
    {
        if (reader.Name == writer.Name || reader.Aliases.Contains(writer.FullName, StringComparer.Ordinal))
            return [];
        return [Violation(CompatibilityRule.NameMismatch,
            $"reader {Describe(reader)} is named {reader.FullName} but the writer's is {writer.FullName}; names must match (namespace ignored) or the reader must list \"{writer.FullName}\" in its aliases")];
    }

    private Incompatibility TypeMismatch(AvroSchema reader, AvroSchema writer) =>
        Violation(CompatibilityRule.TypeMismatch, $"reader type {Describe(reader)} cannot read writer type {Describe(writer)}");

    private Incompatibility MissingBranch(UnionSchema reader, AvroSchema writer) =>
        Violation(CompatibilityRule.MissingUnionBranch,
            $"reader union [{string.Join(", ", reader.Branches.Select(Describe))}] has no branch that can read writer type {Describe(writer)}");

    private Incompatibility Violation(CompatibilityRule rule, string message)
    {
        var path = string.Concat(_path).TrimStart('.');
        return new Incompatibility(path.Length == 0 ? "(root)" : path, rule, message);
    }

    private static string BranchName(AvroSchema branch) =>
        branch is NamedSchema named ? named.Name : branch.Type.ToString().ToLowerInvariant();

    internal static string Describe(AvroSchema schema) => schema switch
    {
        RecordSchema r => $"record {r.FullName}",
        EnumSchema e => $"enum {e.FullName}",
        FixedSchema f => $"fixed {f.FullName}",
        ArraySchema a => $"array<{Describe(a.Items)}>",
        MapSchema m => $"map<{Describe(m.Values)}>",
        UnionSchema u => $"union [{string.Join(", ", u.Branches.Select(Describe))}]",
        _ => schema.ToString(),
    };

    private sealed class PairComparer : IEqualityComparer<(AvroSchema Reader, AvroSchema Writer)>
    {
        public static PairComparer Instance { get; } = new();

        public bool Equals((AvroSchema Reader, AvroSchema Writer) x, (AvroSchema Reader, AvroSchema Writer) y) =>
            ReferenceEquals(x.Reader, y.Reader) && ReferenceEquals(x.Writer, y.Writer);

        public int GetHashCode((AvroSchema Reader, AvroSchema Writer) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Reader),
                System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Writer));
    }
}
