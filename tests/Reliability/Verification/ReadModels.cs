using System.Text.Json;
using Npgsql;

namespace EventSourcing.Reliability.Verification;

/// <summary>A document as the read model serves it: the live view's row.</summary>
public sealed record ActualDocument(string Key, JsonElement Data, long Version);

/// <summary>
/// Reads what the service's projection host wrote, straight from PostgreSQL: the live views
/// <c>orders_read.rm_{name}</c> of the PostgreSQL sink, the daemon's checkpoints and high-water mark in
/// Marten's <c>mt_event_progression</c>, and the dead-letter table.
/// </summary>
public static class ReadModels
{
    public const string Schema = "orders_read";
    public const string OrderSearch = "order_search";
    public const string CustomerOrders = "customer_orders";

    public static IReadOnlyList<string> All { get; } = [OrderSearch, CustomerOrders];

    public static async Task<Dictionary<string, ActualDocument>> DocumentsAsync(NpgsqlDataSource database, string readModel)
    {
        await using var command = database.CreateCommand($"select key, data::text, version from {Schema}.rm_{readModel}");
        await using var reader = await command.ExecuteReaderAsync();
        var documents = new Dictionary<string, ActualDocument>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            using var json = JsonDocument.Parse(reader.GetString(1));
            documents[reader.GetString(0)] = new ActualDocument(reader.GetString(0), json.RootElement.Clone(), reader.GetInt64(2));
        }

        return documents;
    }

    /// <summary>The newest event, the high-water mark and each read model's checkpoint.</summary>
    public static async Task<Progress> ProgressAsync(NpgsqlDataSource database)
    {
        long head;
        await using (var newest = database.CreateCommand($"select coalesce(max(seq_id), 0) from {EventLog.EventSchema}.mt_events"))
            head = await newest.ExecuteScalarAsync() as long? ?? 0;

        // a pure API node runs no daemon: until a daemon ran, the table is empty
        var progress = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var command = database.CreateCommand($"select name, last_seq_id from {EventLog.EventSchema}.mt_event_progression"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                progress[reader.GetString(0)] = reader.GetInt64(1);
        }

        return new Progress(head, progress.GetValueOrDefault("HighWaterMark"),
            All.ToDictionary(r => r, r => progress.GetValueOrDefault(r + ":All"), StringComparer.Ordinal));
    }

    /// <summary>Every dead letter of the daemon, as "projection #sequence type: error".</summary>
    public static async Task<IReadOnlyList<string>> DeadLettersAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand(
            $"select projection, sequence, event_type, error from {Schema}.projection_dead_letters order by projection, sequence");
        var result = new List<string>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                result.Add($"{reader.GetString(0)} #{reader.GetInt64(1)} {reader.GetString(2)}: {reader.GetString(3)}");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // the daemon never started: no dead-letter table, no dead letters
        }

        return result;
    }
}

/// <summary>Where the log and the read models are: <see cref="Head"/> is the newest event's sequence.</summary>
public sealed record Progress(long Head, long HighWaterMark, IReadOnlyDictionary<string, long> Checkpoints)
{
    public bool CaughtUp => HighWaterMark >= Head && Checkpoints.Values.All(c => c >= HighWaterMark);

    public override string ToString() =>
        $"head #{Head}, high-water mark #{HighWaterMark}, checkpoints {string.Join(", ", Checkpoints.Select(c => $"{c.Key} #{c.Value}"))}";
}
