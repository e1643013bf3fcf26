using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace OrderDomain.Idempotency;

/// <summary>
/// The recorded HTTP answers in <c>{schema}.http_idempotency</c>, one row per (caller, key). A row without a
/// status is in flight and leased to one request (its <c>lease_token</c>) until <c>leased_until</c>; times are the
/// database's, so every process agrees on when a lease ran out. Every statement is one autocommit round trip.
/// </summary>
public sealed class IdempotencyRecordStore : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly IdempotencyOptions _options;
    private readonly string _table;
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private volatile bool _created;

    public IdempotencyRecordStore(string connectionString, string schema, IdempotencyOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _dataSource = NpgsqlDataSource.Create(connectionString);
        Schema = schema;
        _table = schema + ".http_idempotency";
    }

    public string Schema { get; }

    /// <summary>
    /// Claims the key for a request with <paramref name="fingerprint"/>: a new key, an expired record, or an
    /// in-flight record of the same request whose lease ran out (its process died or hung) becomes ours;
    /// otherwise says what the key holds.
    /// </summary>
    public async Task<IdempotencyClaim> ClaimAsync(string scope, string key, string fingerprint, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct).ConfigureAwait(false);
        while (true)
        {
            var token = Guid.NewGuid();
            await using (var claim = _dataSource.CreateCommand($"""
                insert into {_table} as r (scope, key, fingerprint, lease_token, leased_until, expires_at)
                values ($1, $2, $3, $4, now() + $5, now() + $6)
                on conflict (scope, key) do update
                    set fingerprint = excluded.fingerprint, lease_token = excluded.lease_token, leased_until = excluded.leased_until,
                        status = null, headers = null, body = null, created_at = now(), expires_at = excluded.expires_at
                    where r.expires_at <= now()
                       or (r.status is null and r.leased_until <= now() and r.fingerprint = excluded.fingerprint)
                returning lease_token
                """))
            {
                claim.Parameters.AddWithValue(scope);
                claim.Parameters.AddWithValue(key);
                claim.Parameters.AddWithValue(fingerprint);
                claim.Parameters.AddWithValue(token);
                claim.Parameters.AddWithValue(_options.Lease);
                claim.Parameters.AddWithValue(_options.Retention);
                if (await claim.ExecuteScalarAsync(ct).ConfigureAwait(false) is Guid owned && owned == token)
                    return new IdempotencyClaim.Owned(token);
            }

            await using var read = _dataSource.CreateCommand(
                $"select fingerprint, status, headers, body from {_table} where scope = $1 and key = $2");
            read.Parameters.AddWithValue(scope);
            read.Parameters.AddWithValue(key);
            await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                continue; // released (its request failed) between the two statements: claim again
            var stored = reader.GetString(0);
            if (await reader.IsDBNullAsync(1, ct).ConfigureAwait(false))
                return new IdempotencyClaim.InFlight(stored);
            var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2)) ?? [];
            var body = await reader.GetFieldValueAsync<byte[]>(3, ct).ConfigureAwait(false);
            return new IdempotencyClaim.Answered(stored, new RecordedResponse(reader.GetInt32(1), headers, body));
        }
    }

    /// <summary>Records the answer of the request that owns the key; false when its lease ran out and another request took the key.</summary>
    public async Task<bool> RecordAsync(string scope, string key, Guid leaseToken, RecordedResponse response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        await using var command = _dataSource.CreateCommand($"""
            update {_table} set status = $4, headers = $5, body = $6, lease_token = null, leased_until = null
            where scope = $1 and key = $2 and lease_token = $3
            """);
        command.Parameters.AddWithValue(scope);
        command.Parameters.AddWithValue(key);
        command.Parameters.AddWithValue(leaseToken);
        command.Parameters.AddWithValue(response.Status);
        command.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(response.Headers));
        command.Parameters.AddWithValue(response.Body);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    /// <summary>Gives the key up without an answer (the request failed): the next request with it executes.</summary>
    public async Task ReleaseAsync(string scope, string key, Guid leaseToken, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand($"delete from {_table} where scope = $1 and key = $2 and lease_token = $3");
        command.Parameters.AddWithValue(scope);
        command.Parameters.AddWithValue(key);
        command.Parameters.AddWithValue(leaseToken);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Deletes the records past their retention; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        await EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"delete from {_table} where expires_at <= now()");
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        if (_created)
            return;
        await _createGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_created)
                return;
            await using var command = _dataSource.CreateCommand($"""
                create schema if not exists {Schema};
                create table if not exists {_table} (
                    scope text not null,
                    key text not null,
                    fingerprint text not null,
                    lease_token uuid,
                    leased_until timestamptz,
                    status integer,
                    headers jsonb,
                    body bytea,
                    created_at timestamptz not null default now(),
                    expires_at timestamptz not null,
                    primary key (scope, key));
                create index if not exists http_idempotency_expires on {_table} (expires_at);
                """);
            // Run again after a duplicate error: another process (or Marten's own migration) created one of the objects at the
            // same moment, and the statements after the failing one did not run. Every statement is "if not exists".
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    break;
                }
                catch (PostgresException e) when (attempt < 5 && e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateObject
                                                      or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateSchema)
                {
                }
            }

            _created = true;
        }
        finally
        {
            _createGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _createGate.Dispose();
    }
}
