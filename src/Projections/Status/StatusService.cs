using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace EventSourcing.Projections.Status;

/// <summary>
/// Reads the state of every projection from the database, so it works from any process: Marten's
/// progression table (checkpoint, high-water mark), the event table (lag in seconds), the sink's live
/// version, the daemon's state and dead-letter tables, and under Wolverine distribution Wolverine's node
/// assignment tables (which node runs each read model). Never reads or prints connection secrets.
/// </summary>
public sealed class StatusService
{
    private readonly ProjectionRuntime _runtime;
    private readonly ProjectionCatalog _catalog;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _eventSchema;
    private readonly WolverineAssignments? _assignments;

    public StatusService(
        ProjectionRuntime runtime, ProjectionCatalog catalog, ProjectionsDataSource dataSource, Marten.IDocumentStore store,
        ProjectionsOptions options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _runtime = runtime;
        _catalog = catalog;
        _dataSource = dataSource.DataSource;
        _eventSchema = store.Options.Events.DatabaseSchemaName;
        if (options.Distribution == ProjectionDistribution.Wolverine)
        {
            // where Wolverine.Marten keeps its tables: WolverineOptions.Durability.MessageStorageSchemaName, else Marten's schema
            var wolverineSchema = services.GetService<WolverineOptions>()?.Durability.MessageStorageSchemaName;
            _assignments = new WolverineAssignments(_dataSource, wolverineSchema ?? store.Options.DatabaseSchemaName);
        }
    }

    public async Task<IReadOnlyList<ProjectionStatus>> GetAsync(string? name, CancellationToken cancellationToken)
    {
        var projections = name is null ? _catalog.All : [_catalog.Get(name)];
        await _runtime.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var highWaterMark = await ProgressAsync("HighWaterMark", cancellationToken).ConfigureAwait(false);
        var nodes = _assignments is null ? null : await _assignments.ReadAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<ProjectionStatus>();
        foreach (var projection in projections)
        {
            var checkpoint = await ProgressAsync(projection.Name + ":All", cancellationToken).ConfigureAwait(false);
            var state = await _runtime.Store.GetStateAsync(projection.Name, cancellationToken).ConfigureAwait(false);
            var live = await _runtime.Sink.LiveVersionAsync(projection.Name, cancellationToken).ConfigureAwait(false);
            var lagSeconds = await LagSecondsAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            var deadLetters = await _runtime.Store.CountDeadLettersAsync(projection.Name, cancellationToken).ConfigureAwait(false);
            var pending = state.PendingSwap is { } p && p.Version > (live ?? 0) ? p : null;
            var label = state.Paused ? "paused"
                : live is null ? "not-started"
                : pending is not null ? "swap-pending"
                : state.LastSwap is { DeadLetters: > 0 } swap && swap.Version == live ? "handover-dead-letters"
                : live < projection.Version ? "rebuild-needed"
                : "running";
            result.Add(new ProjectionStatus(projection.Name, label, projection.Version, live, checkpoint, highWaterMark,
                Math.Max(0, highWaterMark - checkpoint), lagSeconds, deadLetters,
                nodes is null ? null : nodes.GetValueOrDefault(projection.Name, ProjectionNode.Nowhere),
                pending?.Version, pending is null ? null : Math.Round((_runtime.Clock.GetUtcNow() - pending.RequestedAt).TotalSeconds, 1),
                state.LastSwap));
        }

        return result;
    }

    /// <summary>The newest committed sequence (for rebuild and replay targets).</summary>
    public async Task<long> HighestSequenceAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"select coalesce(max(seq_id), 0) from {_eventSchema}.mt_events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<long> ProgressAsync(string shard, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"select last_seq_id from {_eventSchema}.mt_event_progression where name = $1");
        command.Parameters.AddWithValue(shard);
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long? ?? 0;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    private async Task<double> LagSecondsAsync(long checkpoint, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"select extract(epoch from now() - min(timestamp)) from {_eventSchema}.mt_events where seq_id > $1");
        command.Parameters.AddWithValue(checkpoint);
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is decimal d ? Math.Round((double)d, 1) : 0;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }
}
