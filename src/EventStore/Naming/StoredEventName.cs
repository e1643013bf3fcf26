using System.Globalization;

namespace EventSourcing.EventStore.Naming;

/// <summary>
/// How a (name, schema version) pair is written to the event log's type column. Version 1 is the bare
/// name; later versions follow Marten's convention <c>{name}_v{version}</c>, so Marten's upcasting can
/// tell stored versions apart by name alone.
/// </summary>
public static class StoredEventName
{
    public static string Format(string name, int schemaVersion) =>
        schemaVersion == 1 ? name : name + "_v" + schemaVersion.ToString(CultureInfo.InvariantCulture);

    /// <summary>Splits a stored type name into its stable name and schema version.</summary>
    public static (string Name, int SchemaVersion) Parse(string storedName)
    {
        ArgumentNullException.ThrowIfNull(storedName);
        var index = storedName.LastIndexOf("_v", StringComparison.Ordinal);
        if (index > 0 && index + 2 < storedName.Length
            && int.TryParse(storedName.AsSpan(index + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && version > 1)
        {
            return (storedName[..index], version);
        }

        return (storedName, 1);
    }

    internal static bool LooksVersioned(string name) => Parse(name).SchemaVersion != 1;
}
