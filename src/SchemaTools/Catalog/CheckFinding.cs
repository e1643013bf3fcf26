namespace EventSourcing.SchemaTools.Catalog;

/// <summary>One reason the gate fails, printed as one line.</summary>
/// <param name="Subject">The subject (event name as Avro full name).</param>
/// <param name="Rule">A compatibility rule (e.g. READER_FIELD_MISSING_DEFAULT_VALUE) or a gate rule
/// (CATALOG_OUT_OF_DATE, NOT_IN_CATALOG, MISSING_UPCASTER, EVENT_VERSION_NOT_BUMPED, SAMPLE_UNREADABLE).</param>
/// <param name="Path">The field path, or <c>(root)</c>.</param>
/// <param name="Message">What is wrong and against which version.</param>
/// <param name="File">The catalog file the finding is about, relative to the catalog, when there is one.</param>
public sealed record CheckFinding(string Subject, string Rule, string Path, string Message, string? File = null)
{
    public override string ToString() => $"{Subject}: {Path}: {Rule}: {Message}";
}

/// <summary>The event schema of the code as it is now.</summary>
public sealed record CurrentSchema(string Subject, string EventName, int EventVersion, Type ClrType, string Schema);

/// <summary>Which upcasters the event store has registered.</summary>
public interface IUpcasterLookup
{
    /// <summary>True when stored events of <paramref name="eventName"/> written at <paramref name="fromVersion"/>
    /// are upcast (directly or through a chain) to the current version.</summary>
    bool CanUpcast(string eventName, int fromVersion, int toVersion);

    /// <summary>True when stored events of the catalog subject (the Avro full name of an event name) written at
    /// <paramref name="fromVersion"/> are read by an upcaster (a rename or split to a current type).</summary>
    bool CanUpcastSubject(string subject, int fromVersion);
}
