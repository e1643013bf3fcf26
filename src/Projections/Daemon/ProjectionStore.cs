using EventSourcing.Projections.DeadLetters;
using Npgsql;

namespace EventSourcing.Projections.Daemon;

/// <summary>The daemon's own tables: operator state per projection and the dead-letter store.</summary>
public sealed class ProjectionStore
{
    private readonly NpgsqlDataSource _dataSource;

    public ProjectionStore(NpgsqlDataSource dataSource, string schema)
    {
        _dataSource = dataSource;
        Schema = new Sinks.Postgres.PostgresSinkOptions(schema).Schema;
    }

    public string Schema { get; }

    private string StateTable => $"{Schema}.projection_state";

    /// <summary>The host leases (<see cref="Hosting.ProjectionsOptions.HostLease"/>): one row per live projection host.</summary>
    public string HostsTable => $"{Schema}.projection_hosts";

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await Sinks.Postgres.SchemaLock.ExecuteDdlAsync(_dataSource, Schema,
            $"create schema if not exists {Schema}; " +
            $"create table if not exists {StateTable} (name text primary key, paused boolean not null default false, " +
            "retiring_version int, retire_at timestamptz, updated_at timestamptz not null default now()); " +
            $"alter table {StateTable} add column if not exists swap_version int, add column if not exists swap_built_through bigint, " +
            "add column if not exists swap_requested_at timestamptz, add column if not exists swapped_version int, " +
            "add column if not exists swapped_at_sequence bigint, add column if not exists swapped_at timestamptz, " +
            "add column if not exists swap_dead_letters int; " +
            $"create table if not exists {HostsTable} (application_name text primary key, incarnation uuid not null, " +
            "machine text not null, process_id int not null, started_at timestamptz not null, renewed_at timestamptz not null); " +
            DeadLetterSql.Create(Schema), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ProjectionState> GetStateAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"select paused, retiring_version, retire_at, swap_version, swap_built_through, swap_requested_at, " +
            $"swapped_version, swapped_at_sequence, swapped_at, swap_dead_letters from {StateTable} where name = $1");
        command.Parameters.AddWithValue(name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            return ProjectionState.Initial(name);
        var retiring = await reader.GetFieldValueAsync<int?>(1, cancellationToken).ConfigureAwait(false);
        var retireAt = await reader.GetFieldValueAsync<DateTimeOffset?>(2, cancellationToken).ConfigureAwait(false);
        var swap = await reader.GetFieldValueAsync<int?>(3, cancellationToken).ConfigureAwait(false);
        var swapped = await reader.GetFieldValueAsync<int?>(6, cancellationToken).ConfigureAwait(false);
        return new ProjectionState(name, reader.GetBoolean(0), retiring, retireAt,
            swap is { } pending
                ? new PendingSwap(pending, reader.GetInt64(4), await reader.GetFieldValueAsync<DateTimeOffset>(5, cancellationToken).ConfigureAwait(false))
                : null,
            swapped is { } done
                ? new CompletedSwap(done, reader.GetInt64(7), await reader.GetFieldValueAsync<DateTimeOffset>(8, cancellationToken).ConfigureAwait(false), reader.GetInt32(9))
                : null);
    }

    /// <summary>Records a finished rebuild pass; replaces an older request for the same projection.</summary>
    public Task RequestSwapAsync(string name, int version, long builtThrough, CancellationToken cancellationToken) =>
        ExecuteAsync($"insert into {StateTable} (name, swap_version, swap_built_through, swap_requested_at) values ($1, $2, $3, now()) " +
                     "on conflict (name) do update set swap_version = excluded.swap_version, swap_built_through = excluded.swap_built_through, " +
                     "swap_requested_at = excluded.swap_requested_at, updated_at = now()",
            cancellationToken, name, version, builtThrough);

    /// <summary>The SQL that clears the pending swap of one version and records it as done (parameters, each once: name, version, sequence, dead letters).</summary>
    internal string CompleteSwapSql(string p1, string p2, string p3, string p4) =>
        $"update {StateTable} s set swapped_version = p.v, swapped_at_sequence = p.seq, swapped_at = now(), swap_dead_letters = p.d, " +
        "swap_version = case when s.swap_version = p.v then null else s.swap_version end, " +
        "swap_built_through = case when s.swap_version = p.v then null else s.swap_built_through end, " +
        "swap_requested_at = case when s.swap_version = p.v then null else s.swap_requested_at end, updated_at = now() " +
        $"from (select {p1}::text as n, {p2}::int as v, {p3}::bigint as seq, {p4}::int as d) p where s.name = p.n";

    /// <summary>Queues "version swapped in at this sequence" on Marten's unit of work, so it commits with the checkpoint.</summary>
    public void QueueSwapCompleted(Marten.IDocumentOperations operations, string name, int version, long atSequence, int deadLetters) =>
        operations.QueueSqlCommand(CompleteSwapSql("?", "?", "?", "?"), name, version, atSequence, deadLetters);

    /// <summary>Drops a pending swap that can no longer happen (its version is live already, or older than the live one).</summary>
    public void QueueSwapDropped(Marten.IDocumentOperations operations, string name, int version) =>
        operations.QueueSqlCommand(
            $"update {StateTable} set swap_version = null, swap_built_through = null, swap_requested_at = null, updated_at = now() " +
            "where name = ? and swap_version = ?", name, version);

    public Task SetPausedAsync(string name, bool paused, CancellationToken cancellationToken) =>
        ExecuteAsync($"insert into {StateTable} (name, paused) values ($1, $2) on conflict (name) do update set paused = excluded.paused, updated_at = now()",
            cancellationToken, name, paused);

    public Task SetRetiringAsync(string name, int? version, DateTimeOffset? at, CancellationToken cancellationToken) =>
        ExecuteAsync(RetiringSql("$1", "$2", "$3"), cancellationToken, name, (object?)version ?? DBNull.Value, (object?)at ?? DBNull.Value);

    /// <summary>The upsert of "retire this version at that time" (parameters: name, version, time).</summary>
    internal string RetiringSql(string p1, string p2, string p3) =>
        $"insert into {StateTable} (name, retiring_version, retire_at) values ({p1}, {p2}, {p3}) " +
        "on conflict (name) do update set retiring_version = excluded.retiring_version, retire_at = excluded.retire_at, updated_at = now()";

    /// <summary>Queues "retire this version at that time" on Marten's unit of work.</summary>
    public void QueueRetiring(Marten.IDocumentOperations operations, string name, int version, DateTimeOffset at) =>
        operations.QueueSqlCommand(RetiringSql("?", "?", "?"), name, version, at);

    public async Task AddDeadLettersAsync(IEnumerable<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        foreach (var d in deadLetters)
        {
            await ExecuteAsync(DeadLetterSql.Insert(Schema, "$1", "$2", "$3", "$4", "$5", "$6", "$7"), cancellationToken,
                d.Projection, d.Sequence, d.EventId, d.StreamKey, d.EventType, d.Error, d.FailedAt).ConfigureAwait(false);
        }
    }

    /// <summary>Queues dead letters on Marten's unit of work so they commit with the checkpoint.</summary>
    public void QueueDeadLetters(Marten.IDocumentOperations operations, IEnumerable<DeadLetter> deadLetters)
    {
        var sql = DeadLetterSql.Insert(Schema, "?", "?", "?", "?", "?", "?", "?");
        foreach (var d in deadLetters)
            operations.QueueSqlCommand(sql, d.Projection, d.Sequence, d.EventId, d.StreamKey, d.EventType, d.Error, d.FailedAt);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string? projection, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"select projection, sequence, event_id, stream_key, event_type, error, failed_at from {DeadLetterSql.Table(Schema)} " +
            "where $1::text is null or projection = $1 order by projection, sequence");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)projection ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var result = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new DeadLetter(reader.GetString(0), reader.GetInt64(1), reader.GetGuid(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), await reader.GetFieldValueAsync<DateTimeOffset>(6, cancellationToken).ConfigureAwait(false)));
        }

        return result;
    }

    /// <summary>Marten's high-water mark (0 when unknown).</summary>
    public async Task<long> HighWaterMarkAsync(string eventSchema, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"select last_seq_id from {eventSchema}.mt_event_progression where name = 'HighWaterMark'");
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long? ?? 0;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    public async Task<long> CountDeadLettersAsync(string projection, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"select count(*) from {DeadLetterSql.Table(Schema)} where projection = $1");
        command.Parameters.AddWithValue(projection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public Task RemoveDeadLetterAsync(string projection, long sequence, CancellationToken cancellationToken) =>
        ExecuteAsync($"delete from {DeadLetterSql.Table(Schema)} where projection = $1 and sequence = $2", cancellationToken, projection, sequence);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = _dataSource.CreateCommand(sql);
        foreach (var p in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
