namespace EventSourcing.EventStore.Upcasting;

/// <summary>
/// A stored event was written at an older schema version than its type's current one, and no upcaster
/// from that version is registered. Binding its JSON to the current type would fill the fields it lacks
/// (or names differently) with default values, so every read path refuses it instead. Register an
/// upcaster from <see cref="StoredVersion"/> (<c>EventTypeRegistry.Upcast</c>); <c>schema-tools check</c>
/// names the missing one before the code ships.
/// </summary>
public sealed class StaleEventVersionException : Exception
{
    public StaleEventVersionException(string eventName, int storedVersion, int currentVersion, Type currentType, Guid? streamId, long? streamVersion, long? sequence)
        : base($"stored event '{eventName}' v{storedVersion} (stream {Describe(streamId)}, version {Describe(streamVersion)}, sequence {Describe(sequence)}) " +
               $"is older than the current v{currentVersion} of {currentType.FullName} and no upcaster from v{storedVersion} is registered; " +
               $"it is not read with default values: register one with EventTypeRegistry.Upcast(\"{eventName}\", {storedVersion}, json => ...)")
    {
        EventName = eventName;
        StoredVersion = storedVersion;
        CurrentVersion = currentVersion;
        CurrentType = currentType;
        StreamId = streamId;
        StreamVersion = streamVersion;
        Sequence = sequence;
    }

    /// <summary>The stable event name.</summary>
    public string EventName { get; }

    /// <summary>The schema version the event was stored with.</summary>
    public int StoredVersion { get; }

    /// <summary>The current schema version of the registered type.</summary>
    public int CurrentVersion { get; }

    public Type CurrentType { get; }

    /// <summary>The stream of the stored event (null only when the reader did not select it).</summary>
    public Guid? StreamId { get; }

    /// <summary>The event's version in its stream (null only when the reader did not select it).</summary>
    public long? StreamVersion { get; }

    /// <summary>The event's global sequence (null only when the reader did not select it).</summary>
    public long? Sequence { get; }

    private static string Describe<T>(T? value) where T : struct => value?.ToString() ?? "unknown";
}
