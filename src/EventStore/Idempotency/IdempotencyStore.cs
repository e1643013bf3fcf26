using System.Security.Cryptography;
using EventSourcing.EventStore.Storage;
using Marten;
using Npgsql;

namespace EventSourcing.EventStore.Idempotency;

/// <summary>
/// Idempotency keys in <c>es_idempotency</c>. The key row is queued into the same Marten session as the
/// events, so it commits or rolls back with them; a second insert of a live key fails the whole
/// transaction with a unique violation, which the store turns into "return the first result".
/// </summary>
internal sealed class IdempotencyStore(NpgsqlDataSource dataSource, EventStoreTables tables, TimeSpan retention)
{
    public static string Hash(byte[] payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    public async Task<IdempotencyRecord?> FindAsync(string key, CancellationToken ct)
    {
        await tables.EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand(
            $"select stream_id, payload_hash, first_version, last_version, expires_at from {tables.Idempotency} where key = $1 and expires_at > now()");
        command.Parameters.AddWithValue(key);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            return null;
        var expiresAt = await reader.GetFieldValueAsync<DateTimeOffset>(4, ct).ConfigureAwait(false);
        return new IdempotencyRecord(key, reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), expiresAt);
    }

    /// <summary>
    /// Queues the key row into <paramref name="session"/>. Versions: when <paramref name="firstVersion"/> is
    /// null (expected version Any) they are taken from the stream row, which Marten has already updated
    /// (and locked) in the same transaction, because Marten queues the event operations first.
    /// </summary>
    public void Queue(IDocumentSession session, string key, Guid streamId, string payloadHash, long? firstVersion, int count, string streamsTable)
    {
        session.QueueSqlCommand($"delete from {tables.Idempotency} where key = ? and expires_at <= now()", key);
        var retentionSeconds = retention.TotalSeconds;
        if (firstVersion is { } first)
        {
            session.QueueSqlCommand(
                $"insert into {tables.Idempotency} (key, stream_id, payload_hash, first_version, last_version, expires_at) values (?, ?, ?, ?, ?, now() + make_interval(secs => ?))",
                key, streamId, payloadHash, first, first + count - 1, retentionSeconds);
        }
        else
        {
            session.QueueSqlCommand(
                $"insert into {tables.Idempotency} (key, stream_id, payload_hash, first_version, last_version, expires_at) " +
                $"select ?, ?, ?, v - ? + 1, v, now() + make_interval(secs => ?) from (select version as v from {streamsTable} where id = ?) s",
                key, streamId, payloadHash, (long)count, retentionSeconds, streamId);
        }
    }

    public static bool IsDuplicateKey(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
                && pg.TableName == "es_idempotency")
                return true;
        }

        return false;
    }

    /// <summary>Deletes expired keys; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        await tables.EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand($"delete from {tables.Idempotency} where expires_at <= now()");
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
