using EventSourcing.EventStore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcing.EventStore.Snapshots;

/// <summary>Reads and writes rows of <c>es_snapshots</c> (one per stream and aggregate: the newest).</summary>
internal sealed class SnapshotStore(NpgsqlDataSource dataSource, EventStoreTables tables)
{
    public async Task<StoredSnapshot?> FindAsync(Guid streamId, string aggregate, CancellationToken ct)
    {
        await tables.EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand(
            $"select schema_version, version, state::text, written_at from {tables.Snapshots} where stream_id = $1 and aggregate = $2");
        command.Parameters.AddWithValue(streamId);
        command.Parameters.AddWithValue(aggregate);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            return null;
        var writtenAt = await reader.GetFieldValueAsync<DateTimeOffset>(3, ct).ConfigureAwait(false);
        return new StoredSnapshot(streamId, aggregate, reader.GetInt32(0), reader.GetInt64(1), reader.GetString(2), writtenAt);
    }

    /// <summary>Writes the snapshot unless a newer one of the same schema version is already there.</summary>
    public async Task WriteAsync(Guid streamId, string aggregate, int schemaVersion, long version, string stateJson, CancellationToken ct)
    {
        await tables.EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand($"""
            insert into {tables.Snapshots} as s (stream_id, aggregate, schema_version, version, state, written_at)
            values ($1, $2, $3, $4, $5, now())
            on conflict (stream_id, aggregate) do update
              set schema_version = excluded.schema_version, version = excluded.version, state = excluded.state, written_at = now()
              where s.schema_version <> excluded.schema_version or s.version < excluded.version
            """);
        command.Parameters.AddWithValue(streamId);
        command.Parameters.AddWithValue(aggregate);
        command.Parameters.AddWithValue(schemaVersion);
        command.Parameters.AddWithValue(version);
        command.Parameters.AddWithValue(NpgsqlDbType.Jsonb, stateJson);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Guid>> StreamsWithSnapshotsAsync(string aggregate, CancellationToken ct)
    {
        await tables.EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand($"select stream_id from {tables.Snapshots} where aggregate = $1 order by stream_id");
        command.Parameters.AddWithValue(aggregate);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            ids.Add(reader.GetGuid(0));
        return ids;
    }

    public async Task<int> DeleteAsync(string aggregate, CancellationToken ct)
    {
        await tables.EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand($"delete from {tables.Snapshots} where aggregate = $1");
        command.Parameters.AddWithValue(aggregate);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
