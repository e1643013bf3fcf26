using Marten;
using Marten.Services;
using Npgsql;

namespace EventSourcing.EventStore.Storage;

/// <summary>
/// A Marten write session on a connection of the event store's own pool (built without Npgsql's reset on
/// return, see <see cref="EventStoreDataSource"/>). The transaction is begun here and committed by Marten's
/// <c>SaveChangesAsync</c>; disposing rolls back whatever was not committed and returns the connection.
/// </summary>
internal sealed class OwnPoolSession : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private OwnPoolSession(NpgsqlConnection connection, NpgsqlTransaction transaction, IDocumentSession session)
    {
        _connection = connection;
        _transaction = transaction;
        Session = session;
    }

    public IDocumentSession Session { get; }

    public static async Task<OwnPoolSession> OpenAsync(IDocumentStore store, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            // BEGIN is not sent now: Npgsql prepends it to the first batch, so it costs no round trip
            var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            return new OwnPoolSession(connection, transaction,
                store.LightweightSession(SessionOptions.ForTransaction(transaction, shouldAutoCommit: true)));
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync().ConfigureAwait(false);
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
