using Confluent.SchemaRegistry;
using Npgsql;

namespace EventSourcing.SchemaTools.Registry;

using Compatibility = Confluent.SchemaRegistry.Compatibility;

/// <summary>The registry's SQL: every read and the one write path (registration) against PostgreSQL.</summary>
internal sealed class RegistryStore(NpgsqlDataSource dataSource, string schema)
{
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private volatile bool _created;

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        if (_created)
            return;
        await _createLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_created)
                return;
            await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand($"select pg_advisory_xact_lock({RegistryTables.AdvisoryLockKey}); " + RegistryTables.Ddl(schema), connection, tx))
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            _created = true;
        }
        finally
        {
            _createLock.Release();
        }
    }

    /// <summary>
    /// Registers <paramref name="candidate"/> under <paramref name="subject"/>: returns the existing
    /// version when the subject already holds the same schema; otherwise checks it against the
    /// subject's earlier versions under its level and appends a new version, reusing the schema id
    /// when another subject registered the same text.
    /// </summary>
    public async Task<RegisteredSchema> RegisterAsync(
        string subject, CanonicalSchema candidate, Compatibility defaultLevel, ISchemaCompatibilityGate gate, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand($"select pg_advisory_xact_lock({RegistryTables.AdvisoryLockKey})", connection, tx))
            await lockCommand.ExecuteNonQueryAsync(ct).ConfigureAwait(false);

        var existing = await LookupAsync(connection, tx, subject, candidate.Fingerprint, ct).ConfigureAwait(false);
        if (existing is not null)
            return existing;

        var (level, violations) = await CheckAsync(connection, tx, subject, candidate, defaultLevel, gate, ct).ConfigureAwait(false);
        if (violations.Count > 0)
            throw RegistryErrors.Incompatible(subject, level, violations);

        int id;
        await using (var command = new NpgsqlCommand(
            $"""
            insert into {schema}.schemas (fingerprint, guid, schema_type, schema_text) values ($1, $2, 'AVRO', $3)
            on conflict (fingerprint) do update set fingerprint = excluded.fingerprint
            returning id
            """, connection, tx))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = candidate.Fingerprint });
            command.Parameters.Add(new NpgsqlParameter { Value = candidate.Guid });
            command.Parameters.Add(new NpgsqlParameter { Value = candidate.Text });
            id = (int)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }

        int version;
        await using (var command = new NpgsqlCommand(
            $"""
            insert into {schema}.subject_versions (subject, version, schema_id)
            select $1, coalesce(max(version), 0) + 1, $2 from {schema}.subject_versions where subject = $1
            returning version
            """, connection, tx))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = subject });
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            version = (int)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return Registered(subject, version, id, candidate.Guid, candidate.Text);
    }

    /// <summary>The subject's effective level and the candidate's violations of it against the subject's versions.</summary>
    public async Task<(Compatibility Level, IReadOnlyList<string> Violations)> CheckAsync(
        string subject, CanonicalSchema candidate, Compatibility defaultLevel, ISchemaCompatibilityGate gate, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await CheckAsync(connection, null, subject, candidate, defaultLevel, gate, ct).ConfigureAwait(false);
    }

    public async Task<Compatibility> GetEffectiveLevelAsync(string subject, Compatibility defaultLevel, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await EffectiveLevelAsync(connection, null, subject, defaultLevel, ct).ConfigureAwait(false);
    }

    private async Task<(Compatibility Level, IReadOnlyList<string> Violations)> CheckAsync(NpgsqlConnection connection, NpgsqlTransaction? tx,
        string subject, CanonicalSchema candidate, Compatibility defaultLevel, ISchemaCompatibilityGate gate, CancellationToken ct)
    {
        var previous = new List<string>();
        await using (var command = new NpgsqlCommand(
            $"select s.schema_text from {schema}.subject_versions v join {schema}.schemas s on s.id = v.schema_id where v.subject = $1 order by v.version",
            connection, tx))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = subject });
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                previous.Add(reader.GetString(0));
        }

        var level = await EffectiveLevelAsync(connection, tx, subject, defaultLevel, ct).ConfigureAwait(false);
        if (previous.Count == 0 || level == Compatibility.None)
            return (level, []);
        return (level, gate.Check(level, previous, candidate.Text));
    }

    private async Task<Compatibility> EffectiveLevelAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string subject, Compatibility defaultLevel, CancellationToken ct) =>
        await ReadLevelAsync(connection, tx, subject, ct).ConfigureAwait(false)
        ?? await ReadLevelAsync(connection, tx, RegistryTables.GlobalSubject, ct).ConfigureAwait(false)
        ?? defaultLevel;

    public async Task<RegisteredSchema?> LookupAsync(string subject, CanonicalSchema candidate, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await LookupAsync(connection, null, subject, candidate.Fingerprint, ct).ConfigureAwait(false);
    }

    public Task<RegisteredSchema?> GetVersionAsync(string subject, int version, CancellationToken ct) =>
        QuerySubjectVersionAsync(subject, "and v.version = $2", version, ct);

    public Task<RegisteredSchema?> GetLatestAsync(string subject, CancellationToken ct) =>
        QuerySubjectVersionAsync(subject, "order by v.version desc limit 1", null, ct);

    public async Task<Schema?> GetByIdAsync(int id, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand($"select schema_text from {schema}.schemas where id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string text
            ? new Schema(text, [], SchemaType.Avro)
            : null;
    }

    public async Task<Schema?> GetByGuidAsync(Guid guid, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand($"select schema_text from {schema}.schemas where guid = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = guid });
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string text
            ? new Schema(text, [], SchemaType.Avro)
            : null;
    }

    public async Task<List<string>> GetSubjectsAsync(CancellationToken ct)
    {
        await EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand($"select distinct subject from {schema}.subject_versions order by subject");
        return await ReadAllAsync(command, r => r.GetString(0), ct).ConfigureAwait(false);
    }

    public async Task<List<int>> GetVersionsAsync(string subject, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand($"select version from {schema}.subject_versions where subject = $1 order by version");
        command.Parameters.Add(new NpgsqlParameter { Value = subject });
        return await ReadAllAsync(command, r => r.GetInt32(0), ct).ConfigureAwait(false);
    }

    public async Task<Compatibility?> GetLevelAsync(string subject, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await ReadLevelAsync(connection, null, subject, ct).ConfigureAwait(false);
    }

    public async Task SetLevelAsync(string subject, Compatibility level, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand(
            $"insert into {schema}.subject_config (subject, compatibility) values ($1, $2) on conflict (subject) do update set compatibility = excluded.compatibility");
        command.Parameters.Add(new NpgsqlParameter { Value = subject });
        command.Parameters.Add(new NpgsqlParameter { Value = RegistryLevelNames.ToWireName(level) });
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task<RegisteredSchema?> QuerySubjectVersionAsync(string subject, string condition, int? version, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand(
            $"select v.version, s.id, s.guid, s.schema_text from {schema}.subject_versions v join {schema}.schemas s on s.id = v.schema_id where v.subject = $1 {condition}");
        command.Parameters.Add(new NpgsqlParameter { Value = subject });
        if (version is not null)
            command.Parameters.Add(new NpgsqlParameter { Value = version.Value });
        var rows = await ReadAllAsync(command, r => Registered(subject, r.GetInt32(0), r.GetInt32(1), r.GetGuid(2), r.GetString(3)), ct).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<RegisteredSchema?> LookupAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string subject, string fingerprint, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select v.version, s.id, s.guid, s.schema_text from {schema}.subject_versions v join {schema}.schemas s on s.id = v.schema_id where v.subject = $1 and s.fingerprint = $2",
            connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = subject });
        command.Parameters.Add(new NpgsqlParameter { Value = fingerprint });
        var rows = await ReadAllAsync(command, r => Registered(subject, r.GetInt32(0), r.GetInt32(1), r.GetGuid(2), r.GetString(3)), ct).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<Compatibility?> ReadLevelAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string subject, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select compatibility from {schema}.subject_config where subject = $1", connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = subject });
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string level ? RegistryLevelNames.Parse(level) : null;
    }

    private static async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            rows.Add(read(reader));
        return rows;
    }

    private static RegisteredSchema Registered(string subject, int version, int id, Guid guid, string text) =>
        new(subject, version, id, guid.ToString(), text, SchemaType.Avro, []);
}
