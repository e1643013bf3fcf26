using Npgsql;

namespace EventSourcing.Projections.Sinks.Postgres;

/// <summary>Runs DDL in a transaction under an advisory lock per schema, so hosts starting together do not race.</summary>
internal static class SchemaLock
{
    public static async Task ExecuteDdlAsync(NpgsqlDataSource dataSource, string schema, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockAsync(connection, transaction, schema, cancellationToken).ConfigureAwait(false);
        await using (var ddl = new NpgsqlCommand(sql, connection, transaction))
            await ddl.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes the schema's DDL lock for the rest of <paramref name="transaction"/>.</summary>
    public static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, CancellationToken cancellationToken)
    {
        await using var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext($1))", connection, transaction);
        lockCommand.Parameters.AddWithValue("projections-ddl:" + schema);
        await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
