using Npgsql;

namespace EventSourcing.EventStore.Storage;

/// <summary>
/// The event store's own connection pool, for its appends (<see cref="OwnPoolSession"/>), its stream reads
/// (<see cref="Reading.EventLogReader"/>) and its own tables.
/// Only plain statements and transactions run on it (no SET, no session advisory locks, no temporary tables,
/// no LISTEN), so a connection goes back to the pool without Npgsql's <c>DISCARD ALL</c>. That reset also
/// drops the plans PostgreSQL caches per connection for Marten's <c>mt_quick_append_events</c> function, so
/// with it every append re-planned each statement inside the function: about half of the server time of a
/// one-event append. Npgsql's automatic preparation is on: the statements a command sends every time (the
/// append function, the stream read) are prepared once per connection, so PostgreSQL neither parses nor plans
/// them again. Marten's own pool (other queries, the daemon) keeps the reset.
/// </summary>
internal static class EventStoreDataSource
{
    public static NpgsqlDataSource Create(string connectionString) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true, MaxAutoPrepare = 32, AutoPrepareMinUsages = 2 });
}
