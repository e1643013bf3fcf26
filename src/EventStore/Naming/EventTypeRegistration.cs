namespace EventSourcing.EventStore.Naming;

/// <summary>One registered event type: its stable name, its current schema version and its CLR type.</summary>
public sealed record EventTypeRegistration(string Name, int SchemaVersion, Type ClrType)
{
    /// <summary>The type name as stored in the event log (<c>mt_events.type</c>) for the current version.</summary>
    public string StoredName => StoredEventName.Format(Name, SchemaVersion);
}
