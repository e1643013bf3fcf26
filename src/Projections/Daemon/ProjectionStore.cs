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

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await Sinks.Postgres.SchemaLock.ExecuteDdlAsync(_dataSource, Schema,
            $"create schema if not exists {Schema}; " +
            $"create table if not exists {StateTable} (name text primary key, paused boolean not null default false, " +
            "retiring_version int, retire_at timestamptz, updated_at timestamptz not null default now()); " +
            DeadLetterSql.Create(Schema), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ProjectionState> GetStateAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"select paused, retiring_version, retire_at from {StateTable} where name = $1");
        command.Parameters.AddWithValue(name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            return ProjectionState.Initial(name);
        return new ProjectionState(name, reader.GetBoolean(0),
            await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false) ? null : reader.GetInt32(1),
            await reader.IsDBNullAsync(2, cancellationToken).ConfigureAwait(false) ? null : await reader.GetFieldValueAsync<DateTimeOffset>(2, cancellationToken).ConfigureAwait(false));
    }

    public Task SetPausedAsync(string name, bool paused, CancellationToken cancellationToken) =>
        ExecuteAsync($"insert into {StateTable} (name, paused) values ($1, $2) on conflict (name) do update set paused = excluded.paused, updated_at = now()",
            cancellationToken, name, paused);

    public Task SetRetiringAsync(string name, int? version, DateTimeOffset? at, CancellationToken cancellationToken) =>
        ExecuteAsync($"insert into {StateTable} (name, retiring_version, retire_at) values ($1, $2, $3) " +
                     "on conflict (name) do update set retiring_version = excluded.retiring_version, retire_at = excluded.retire_at, updated_at = now()",
            cancellationToken, name, (object?)version ?? DBNull.Value, (object?)at ?? DBNull.Value);

    /// <summary>Queues "retire this version at that time" on Marten's unit of work.</summary>
    public void QueueRetiring(Marten.IDocumentOperations operations, string name, int version, DateTimeOffset at) =>
        operations.QueueSqlCommand(
            $"insert into {StateTable} (name, retiring_version, retire_at) values (?, ?, ?) " +
            "on conflict (name) do update set retiring_version = excluded.retiring_version, retire_at = excluded.retire_at, updated_at = now()",
            name, version, at);

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
