namespace EventSourcing.SchemaTools.Compatibility;

/// <summary>The rule a change broke; the names are Java Avro's <c>SchemaIncompatibilityType</c> values.</summary>
public enum CompatibilityRule
{
    /// <summary>A record, enum or fixed changed its unqualified name without a reader alias for the old full name.</summary>
    NameMismatch,

    /// <summary>A fixed type changed its size.</summary>
    FixedSizeMismatch,

    /// <summary>The reader's enum lacks writer symbols and has no enum default.</summary>
    MissingEnumSymbols,

    /// <summary>A reader field has no writer counterpart (by name or reader alias) and no default.</summary>
    ReaderFieldMissingDefaultValue,

    /// <summary>The types differ and no promotion applies.</summary>
    TypeMismatch,

    /// <summary>The reader union has no branch that can read a writer type.</summary>
    MissingUnionBranch,

    /// <summary>A reader field's name and aliases match more than one writer field (Java throws here).</summary>
    AmbiguousFieldAlias,
}

/// <summary>Which way data flows in a failed check.</summary>
public enum CompatibilityDirection
{
    /// <summary>The candidate (reader) cannot read data written with a previous version (writer).</summary>
    Backward,

    /// <summary>A previous version (reader) cannot read data written with the candidate (writer).</summary>
    Forward,
}

/// <summary>One broken rule.</summary>
/// <param name="Path">Where in the schema: field names joined by '.', '[]' for array items, '{}' for map values,
/// '|type' for a union branch; <c>(root)</c> for the schema itself.</param>
/// <param name="Rule">The rule broken.</param>
/// <param name="Message">What is wrong, in the reader/writer terms of the direction.</param>
/// <param name="Direction">Backward: the candidate reads old data; forward: old versions read new data.</param>
/// <param name="PreviousIndex">Index (oldest first, from 0) of the previous version in this check.</param>
public sealed record CompatibilityViolation(string Path, CompatibilityRule Rule, string Message, CompatibilityDirection Direction, int PreviousIndex)
{
    /// <summary>Java's spelling of the rule, e.g. <c>READER_FIELD_MISSING_DEFAULT_VALUE</c>.</summary>
    public string RuleName => Rule switch
    {
        CompatibilityRule.NameMismatch => "NAME_MISMATCH",
        CompatibilityRule.FixedSizeMismatch => "FIXED_SIZE_MISMATCH",
        CompatibilityRule.MissingEnumSymbols => "MISSING_ENUM_SYMBOLS",
        CompatibilityRule.ReaderFieldMissingDefaultValue => "READER_FIELD_MISSING_DEFAULT_VALUE",
        CompatibilityRule.TypeMismatch => "TYPE_MISMATCH",
        CompatibilityRule.MissingUnionBranch => "MISSING_UNION_BRANCH",
        _ => "AMBIGUOUS_FIELD_ALIAS",
    };

    public override string ToString()
    {
        var how = Direction == CompatibilityDirection.Backward
            ? $"new schema cannot read data written with previous[{PreviousIndex}]"
            : $"previous[{PreviousIndex}] cannot read data written with the new schema";
        return $"{Path}: {RuleName}: {Message} ({how})";
    }
}

/// <summary>The outcome of a check: compatible when there are no violations.</summary>
public sealed record CompatibilityResult(IReadOnlyList<CompatibilityViolation> Violations)
{
    public static CompatibilityResult Compatible { get; } = new([]);

    public bool IsCompatible => Violations.Count == 0;
}
