namespace EventSourcing.SchemaTools.Generation;

/// <summary>
/// Sets the precision and scale of a decimal's Avro <c>decimal</c> logical type. Without it a decimal
/// gets precision 28 and scale 8 (<see cref="AvroDecimalAttribute.DefaultPrecision"/>).
/// Put it on the property, or on the positional record parameter. The generator matches the attribute
/// by its name, so a domain assembly may declare its own <c>AvroDecimalAttribute(int precision, int scale)</c>
/// instead of referencing this tool.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field, AllowMultiple = false)]
public sealed class AvroDecimalAttribute : Attribute
{
    public const int DefaultPrecision = 28;
    public const int DefaultScale = 8;

    public AvroDecimalAttribute(int precision, int scale)
    {
        if (precision < 1 || precision > 38)
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "Avro decimal precision must be between 1 and 38 here.");
        if (scale < 0 || scale > precision)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "Avro decimal scale must be between 0 and the precision.");
        Precision = precision;
        Scale = scale;
    }

    public int Precision { get; }

    public int Scale { get; }
}

/// <summary>
/// Earlier names of a field, written as Avro field aliases so a reader with the new name still
/// reads data written with the old one (renaming a field without breaking BACKWARD compatibility).
/// Matched by name like <see cref="AvroDecimalAttribute"/>: <c>AvroAliasesAttribute(params string[] aliases)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field, AllowMultiple = false)]
public sealed class AvroAliasesAttribute : Attribute
{
    public AvroAliasesAttribute(params string[] aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        Aliases = aliases;
    }

    public IReadOnlyList<string> Aliases { get; }
}
