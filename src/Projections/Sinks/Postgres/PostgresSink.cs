using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;

namespace EventSourcing.Projections.Sinks.Postgres;

/// <summary>
/// The embedded default sink: documents as jsonb in a table per read-model version, readers use the
/// view <c>rm_{name}</c>, which a swap re-points in one transaction. In the daemon the writes are
/// queued on Marten's unit of work, so documents and checkpoint commit in the same transaction.
/// A delete keeps a marker row (data null) with its version so an older replay cannot resurrect it.
/// </summary>
public sealed class PostgresSink : IReadModelSink
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSinkOptions _options;
    private readonly JsonSerializerOptions _json;

    public PostgresSink(NpgsqlDataSource dataSource, PostgresSinkOptions options, JsonSerializerOptions? json = null)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _json = json ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
    }

    public string Kind => "postgres";

    public async Task PrepareAsync(ReadModelTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        await SchemaLock.ExecuteDdlAsync(_dataSource, _options.Schema,
            PostgresSql.CreateRegistry(_options) + "; " + PostgresSql.CreateTable(_options.Table(target)), cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyDictionary<string, StoredDocument>> LoadAsync(
        ReadModelTarget target, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return LoadFromAsync(_options.Table(target), target.DocumentType, keys, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, StoredDocument>> LoadLiveAsync(
        ReadModelTarget readModel, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readModel);
        return LoadFromAsync(_options.View(readModel.ReadModel), readModel.DocumentType, keys, cancellationToken);
    }

    public async Task<IReadOnlyList<WriteOutcome>> WriteAsync(
        ReadModelTarget target, IReadOnlyList<DocumentChange> changes, SinkWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(context);
        if (changes.Count == 0)
            return [];

        // One row per key: the highest version wins, the others are already superseded.
        var winners = changes.GroupBy(c => c.Key, StringComparer.Ordinal)
            .Select(g => g.MaxBy(c => c.Version)!).ToList();
        var keys = winners.Select(c => c.Key).ToArray();
        var docs = winners.Select(c => c.Document is null ? null : JsonSerializer.Serialize(c.Document, target.DocumentType, _json)).ToArray();
        var versions = winners.Select(c => c.Version).ToArray();
        var table = _options.Table(target);

        if (context.Operations is { } operations)
        {
            // Committed by Marten together with the checkpoint; the version guard keeps replays harmless.
            operations.QueueSqlCommand(PostgresSql.Upsert(table, "?", "?", "?"), keys, docs, versions);
            return changes.Select(c => winners.Contains(c) ? WriteOutcome.Applied(c.Key) : new WriteOutcome(c.Key, WriteStatus.AlreadyApplied)).ToList();
        }

        var written = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = _dataSource.CreateCommand(PostgresSql.Upsert(table, "$1", "$2", "$3")))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = keys });
            command.Parameters.Add(new NpgsqlParameter { Value = docs, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = versions });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                written.Add(reader.GetString(0));
        }

        return changes.Select(c => winners.Contains(c) && written.Contains(c.Key)
            ? WriteOutcome.Applied(c.Key)
            : new WriteOutcome(c.Key, WriteStatus.AlreadyApplied)).ToList();
    }

    public async Task SwapAsync(ReadModelTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        await SchemaLock.ExecuteDdlAsync(_dataSource, _options.Schema, PostgresSql.CreateRegistry(_options), cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // hosts starting together on a fresh database each swap the first version in: CREATE OR REPLACE VIEW racing itself fails
        // with a duplicate pg_type row (23505), so the swap takes the schema's DDL lock too
        await SchemaLock.LockAsync(connection, transaction, _options.Schema, cancellationToken).ConfigureAwait(false);
        await SwapInAsync(target, connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues the swap on Marten's unit of work, so it commits with the daemon's checkpoint.</summary>
    internal void QueueSwap(ReadModelTarget target, Marten.IDocumentOperations operations)
    {
        operations.QueueSqlCommand(PostgresSql.Swap(_options, _options.View(target.ReadModel), _options.Table(target)));
        operations.QueueSqlCommand(PostgresSql.Register(_options, "?", "?"), target.ReadModel, target.Version);
    }

    /// <summary>Swaps inside the caller's transaction (the idle hand-over, which holds the checkpoint's row lock in it).</summary>
    internal async Task SwapInAsync(ReadModelTarget target, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var view = new NpgsqlCommand(PostgresSql.Swap(_options, _options.View(target.ReadModel), _options.Table(target)), connection, transaction))
            await view.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var registry = new NpgsqlCommand(PostgresSql.Register(_options, "$1", "$2"), connection, transaction);
        registry.Parameters.AddWithValue(target.ReadModel);
        registry.Parameters.AddWithValue(target.Version);
        await registry.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int?> LiveVersionAsync(string readModel, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"select live_version from {_options.Registry} where name = $1");
        command.Parameters.AddWithValue(readModel);
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as int?;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }

    public async Task RetireAsync(ReadModelTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (await LiveVersionAsync(target.ReadModel, cancellationToken).ConfigureAwait(false) == target.Version)
            throw new InvalidOperationException($"read model '{target.ReadModel}' version {target.Version} is live and cannot be retired");
        await ExecuteAsync($"drop table if exists {_options.Table(target)}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Pages through the version's table in key order (keyset pagination on the primary key), deletion markers
    /// included: each page is one short statement, so no long snapshot holds back vacuum on a busy table.
    /// </summary>
    public async IAsyncEnumerable<StoredDocument> ReadAllAsync(
        ReadModelTarget target, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var table = _options.Table(target);
        string? after = null;
        while (true)
        {
            var page = new List<StoredDocument>(pageSize);
            await using (var command = _dataSource.CreateCommand(PostgresSql.Page(table)))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)after ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                command.Parameters.AddWithValue(pageSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var document = await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false)
                        ? null
                        : JsonSerializer.Deserialize(reader.GetString(1), target.DocumentType, _json);
                    page.Add(new StoredDocument(reader.GetString(0), document, reader.GetInt64(2)));
                }
            }

            foreach (var document in page)
                yield return document;
            if (page.Count < pageSize)
                yield break;
            after = page[^1].Key;
        }
    }

    private async Task<IReadOnlyDictionary<string, StoredDocument>> LoadFromAsync(
        string relation, Type documentType, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var result = new Dictionary<string, StoredDocument>(StringComparer.Ordinal);
        if (keys.Count == 0)
            return result;
        await using var command = _dataSource.CreateCommand(PostgresSql.Load(relation).Replace("@keys", "$1", StringComparison.Ordinal));
        command.Parameters.AddWithValue(keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = reader.GetString(0);
            var document = await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false)
                ? null
                : JsonSerializer.Deserialize(reader.GetString(1), documentType, _json);
            result[key] = new StoredDocument(key, document, reader.GetInt64(2));
        }

        return result;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
