using System.Text.Json;
using Npgsql;

namespace EventSourcing.Reliability.Verification;

/// <summary>One row of <c>mt_events</c> as stored: the JSON is parsed here, by the test, never by the library.</summary>
public sealed record StoredEvent(long Sequence, Guid StreamId, long Version, string Type, JsonElement Data);

/// <summary>Reads the whole event log of the service's event schema, in commit order.</summary>
public static class EventLog
{
    public const string EventSchema = "orders";

    public static async Task<IReadOnlyList<StoredEvent>> ReadAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand(
            $"select seq_id, stream_id, version, type, data::text from {EventSchema}.mt_events order by seq_id");
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync())
        {
            using var json = JsonDocument.Parse(reader.GetString(4));
            events.Add(new StoredEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetString(3), json.RootElement.Clone()));
        }

        return events;
    }
}
