using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Sinks;
using Marten;
using Npgsql;

namespace EventSourcing.Projections.Rebuild;

/// <summary>
/// Swaps a rebuilt version in when the live subscription has nothing to do: its checkpoint is at or past the
/// rebuild's <see cref="PendingSwap.BuiltThrough"/> and no event exists after it, so no batch is coming that would
/// do it. Fenced against a batch that starts meanwhile: the subscription's checkpoint row is locked (NOWAIT, so a
/// committing batch wins and this attempt gives up) and the log is checked again under the lock; a batch that
/// started before the lock saw the pending swap itself and swaps the same version, idempotently.
/// </summary>
internal sealed class IdleSwap(ProjectionRuntime runtime, IDocumentStore store, NpgsqlDataSource dataSource)
{
    private string EventSchema => store.Options.Events.DatabaseSchemaName;

    /// <summary>True when this call swapped <paramref name="projection"/>'s pending version in.</summary>
    public async Task<bool> TrySwapAsync(IReadModelProjection projection, CancellationToken cancellationToken)
    {
        var state = await runtime.Store.GetStateAsync(projection.Name, cancellationToken).ConfigureAwait(false);
        if (state.PendingSwap is not { } swap
            || await runtime.Sink.LiveVersionAsync(projection.Name, cancellationToken).ConfigureAwait(false) is not { } live
            || live >= swap.Version)
            return false;
        var checkpoint = await CheckpointAsync(projection.Name, cancellationToken).ConfigureAwait(false);
        if (checkpoint is not { } through || through < swap.BuiltThrough || await AnyEventAfterAsync(through, cancellationToken).ConfigureAwait(false))
            return false;

        var target = ReadModelTarget.For(projection, swap.Version);
        await using (var session = store.QuerySession())
        {
            var deadLetters = await HandOver.CatchUpAsync(runtime, projection, target, session, swap.BuiltThrough, through, cancellationToken).ConfigureAwait(false);
            return await SwapUnderLockAsync(projection, target, live, through, deadLetters, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> SwapUnderLockAsync(
        IReadModelProjection projection, ReadModelTarget target, int live, long through, int deadLetters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, transaction, "set local lock_timeout = '2s'", cancellationToken).ConfigureAwait(false);
            var locked = await ScalarAsync(connection, transaction,
                $"select last_seq_id from {EventSchema}.mt_event_progression where name = $1 for update nowait", cancellationToken, Shard(projection.Name))
                .ConfigureAwait(false);
            var pending = await ScalarAsync(connection, transaction,
                $"select swap_version from {runtime.Store.Schema}.projection_state where name = $1 for update", cancellationToken, projection.Name).ConfigureAwait(false);
            var moreEvents = await ScalarAsync(connection, transaction,
                $"select exists (select 1 from {EventSchema}.mt_events where seq_id > $1)", cancellationToken, through).ConfigureAwait(false);
            if (locked as long? != through || pending as int? != target.Version || moreEvents is true)
                return false;

            if (runtime.Sink is Sinks.Postgres.PostgresSink postgres)
                await postgres.SwapInAsync(target, connection, transaction, cancellationToken).ConfigureAwait(false);
            else
                await runtime.Sink.SwapAsync(target, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, runtime.Store.CompleteSwapSql("$1", "$2", "$3", "$4"), cancellationToken,
                projection.Name, target.Version, through, deadLetters).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, runtime.Store.RetiringSql("$1", "$2", "$3"), cancellationToken,
                projection.Name, live, runtime.Clock.GetUtcNow() + runtime.Options.RetireAfter).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected)
        {
            // a batch is committing: it swaps, or the next attempt does
            return false;
        }
    }

    private static string Shard(string projection) => projection + ":All";

    private async Task<long?> CheckpointAsync(string projection, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select last_seq_id from {EventSchema}.mt_event_progression where name = $1");
        command.Parameters.AddWithValue(Shard(projection));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }

    private async Task<bool> AnyEventAfterAsync(long sequence, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select exists (select 1 from {EventSchema}.mt_events where seq_id > $1)");
        command.Parameters.AddWithValue(sequence);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    private static async Task<object?> ScalarAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var p in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var p in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
