using System.ComponentModel;
using System.Reflection;

namespace EventSourcing.SchemaTools.Generation;

/// <summary>What the generator needs to know about one property: its attributes and its C# default.</summary>
internal sealed record MemberFacts(
    string Path,
    NullabilityInfo? Nullability,
    AvroDecimalAttribute? Decimal,
    IReadOnlyList<string> Aliases,
    bool HasDefault,
    object? Default)
{
    private const string JsonIgnore = "System.Text.Json.Serialization.JsonIgnoreAttribute";

    /// <summary>No attributes and no default (array items, map values).</summary>
    public static MemberFacts Element(string path, NullabilityInfo? nullability) => new(path, nullability, null, [], false, null);

    /// <summary>The serialised properties of a record type: public, readable, not indexers, not [JsonIgnore];
    /// base-type properties first, then declaration order.</summary>
    public static IReadOnlyList<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Where(p => !p.GetCustomAttributesData().Any(a => a.AttributeType.FullName == JsonIgnore))
            .OrderBy(p => Depth(p.DeclaringType!))
            .ThenBy(p => p.MetadataToken)
            .ToList();

    /// <summary>Facts of a property; attributes and defaults may sit on the property or on the matching
    /// parameter of the record's primary constructor.</summary>
    public static MemberFacts Of(PropertyInfo property, ParameterInfo? parameter, NullabilityInfoContext context, string path)
    {
        var decimalData = Named(property.GetCustomAttributesData(), nameof(AvroDecimalAttribute)) ?? Named(parameter?.GetCustomAttributesData(), nameof(AvroDecimalAttribute));
        var decimalAttribute = decimalData is null ? null : new AvroDecimalAttribute((int)decimalData.ConstructorArguments[0].Value!, (int)decimalData.ConstructorArguments[1].Value!);
        var aliasData = Named(property.GetCustomAttributesData(), nameof(AvroAliasesAttribute)) ?? Named(parameter?.GetCustomAttributesData(), nameof(AvroAliasesAttribute));
        IReadOnlyList<string> aliases = aliasData?.ConstructorArguments[0].Value is IReadOnlyCollection<CustomAttributeTypedArgument> values
            ? values.Select(v => (string)v.Value!).ToList()
            : [];
        var defaultAttribute = property.GetCustomAttribute<DefaultValueAttribute>() ?? parameter?.GetCustomAttribute<DefaultValueAttribute>();
        var hasDefault = defaultAttribute is not null || parameter is { HasDefaultValue: true };
        var value = defaultAttribute is not null ? defaultAttribute.Value : parameter is { HasDefaultValue: true } ? parameter.DefaultValue : null;
        return new MemberFacts(path, context.Create(property), decimalAttribute, aliases, hasDefault, value);
    }

    /// <summary>The constructor whose parameters all name properties (the primary constructor of a positional record).</summary>
    public static ConstructorInfo? PrimaryConstructor(Type type, IReadOnlyList<PropertyInfo> properties)
    {
        var names = properties.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return type.GetConstructors()
            .Where(c => c.GetParameters().Length > 0 && c.GetParameters().All(p => p.Name is not null && names.Contains(p.Name)))
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault();
    }

    /// <summary>The attribute by simple type name, so a domain may declare its own copy instead of referencing the tool.</summary>
    private static CustomAttributeData? Named(IList<CustomAttributeData>? attributes, string name) =>
        attributes?.FirstOrDefault(a => a.AttributeType.Name == name);

    private static int Depth(Type type)
    {
        var depth = 0;
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            depth++;
        return depth;
    }
}
