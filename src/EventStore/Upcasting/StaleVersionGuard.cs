using System.Data.Common;
using EventSourcing.EventStore.Naming;
using Marten;
using Marten.Services.Json.Transformations;

namespace EventSourcing.EventStore.Upcasting;

/// <summary>
/// Registered with Marten for every older version of a registered event type that has no upcaster
/// (see <see cref="EventTypeRegistry.UnreadableStoredNames"/>). Marten then resolves that stored type
/// name here, on every read path (stream fetches, the global log, the async daemon, rebuilds, dead-letter
/// replays), instead of falling back to the CLR type column, which still names the current class and
/// would bind the old JSON with default values. Reading such an event throws
/// <see cref="StaleEventVersionException"/> naming the stream, version and sequence.
/// </summary>
internal sealed class StaleVersionGuard(EventTypeRegistration current, int storedVersion) : IEventUpcaster
{
    public string EventTypeName => StoredEventName.Format(current.Name, storedVersion);

    // The current type, so Marten's event type filters (projections, subscriptions) still select these rows and fail on them.
    public Type EventType => current.ClrType;

    public object FromDbDataReader(ISerializer serializer, DbDataReader dbDataReader, int index) =>
        throw Reject(dbDataReader);

    public ValueTask<object> FromDbDataReaderAsync(ISerializer serializer, DbDataReader dbDataReader, int index, CancellationToken ct) =>
        throw Reject(dbDataReader);

    private StaleEventVersionException Reject(DbDataReader reader) => new(
        current.Name, storedVersion, current.SchemaVersion, current.ClrType,
        Column<Guid>(reader, "stream_id"), Column<long>(reader, "version"), Column<long>(reader, "seq_id"));

    /// <summary>A column of the row being read, by name; null when this query did not select it.</summary>
    private static T? Column<T>(DbDataReader reader, string name) where T : struct
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (string.Equals(reader.GetName(i), name, StringComparison.Ordinal))
                return reader.IsDBNull(i) ? null : reader.GetFieldValue<T>(i);
        }

        return null;
    }
}
