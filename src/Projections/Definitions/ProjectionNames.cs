using System.Text.RegularExpressions;

namespace EventSourcing.Projections.Definitions;

/// <summary>Validates projection names, which become table, view, index and alias names.</summary>
public static partial class ProjectionNames
{
    [GeneratedRegex("^[a-z][a-z0-9_]{0,47}$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Valid();

    public static string Validate(string name)
    {
        if (name is null || !Valid().IsMatch(name))
            throw new ArgumentException(
                $"projection name '{name}' is invalid: use 1-48 characters of a-z, 0-9 and _, starting with a letter", nameof(name));
        return name;
    }

    /// <summary>The physical name of one version: <c>{name}_v{version}</c>.</summary>
    public static string Versioned(string name, int version) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}_v{version}");
}
