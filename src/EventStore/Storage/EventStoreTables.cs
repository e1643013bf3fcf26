using Npgsql;

namespace EventSourcing.EventStore.Storage;

/// <summary>Creates the tables this library adds next to Marten's event log, once per store.</summary>
internal sealed class EventStoreTables(NpgsqlDataSource dataSource, string schema)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _created;

    public string Snapshots => schema + ".es_snapshots";

    public string Idempotency => schema + ".es_idempotency";

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        if (_created)
            return;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_created)
                return;
            await using var command = dataSource.CreateCommand($"""
                create schema if not exists {schema};
                create table if not exists {Snapshots} (
                    stream_id uuid not null,
                    aggregate text not null,
                    schema_version integer not null,
                    version bigint not null,
                    state jsonb not null,
                    written_at timestamptz not null default now(),
                    primary key (stream_id, aggregate));
                create table if not exists {Idempotency} (
                    key text primary key,
                    stream_id uuid not null,
                    payload_hash text not null,
                    first_version bigint not null,
                    last_version bigint not null,
                    created_at timestamptz not null default now(),
                    expires_at timestamptz not null);
                create index if not exists es_idempotency_expires on {Idempotency} (expires_at);
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
            _gate.Release();
        }
    }
}
