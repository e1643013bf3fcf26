namespace EventSourcing.EventStore.Naming;

/// <summary>
/// Gives an event type its stable stored name and its current schema version. The name is what is
/// written to the database, to Kafka headers and to the Avro namespace, so renaming the CLR type
/// never orphans stored events.
/// </summary>
/// <example><code>[EventName("order.placed", Version = 2)]</code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class EventNameAttribute : Attribute
{
    public EventNameAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The stable name, e.g. <c>order.placed</c>.</summary>
    public string Name { get; }

    /// <summary>The schema version of the CLR type as it is now (1 when never changed).</summary>
    public int Version { get; init; } = 1;
}
