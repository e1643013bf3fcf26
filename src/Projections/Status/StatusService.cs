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
    private readonly ProjectionsOptions _options;

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
        _options = options;
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
            var (checkpoint, sinceProgress) = await CheckpointAsync(projection.Name + ":All", cancellationToken).ConfigureAwait(false);
            var state = await _runtime.Store.GetStateAsync(projection.Name, cancellationToken).ConfigureAwait(false);
            var live = await _runtime.Sink.LiveVersionAsync(projection.Name, cancellationToken).ConfigureAwait(false);
            var lagSeconds = await LagSecondsAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            var deadLetters = await _runtime.Store.CountDeadLettersAsync(projection.Name, cancellationToken).ConfigureAwait(false);
            var pending = state.PendingSwap is { } p && p.Version > (live ?? 0) ? p : null;
            // events wait, the oldest for longer than StalledAfter, and the checkpoint has not moved for as long: whoever
            // holds the read model (a node, or nobody) is not advancing it
            var stalledAfter = _options.StalledAfter.TotalSeconds;
            var withoutProgress = checkpoint < highWaterMark && lagSeconds > stalledAfter && (sinceProgress ?? double.MaxValue) > stalledAfter
                ? Math.Round(Math.Min(lagSeconds, sinceProgress ?? lagSeconds), 1)
                : (double?)null;
            var label = state.Paused ? "paused"
                : live is null ? "not-started"
                : withoutProgress is not null ? "stalled"
                : pending is not null ? "swap-pending"
                : state.LastSwap is { DeadLetters: > 0 } swap && swap.Version == live ? "handover-dead-letters"
                : live < projection.Version ? "rebuild-needed"
                : "running";
            result.Add(new ProjectionStatus(projection.Name, label, projection.Version, live, checkpoint, highWaterMark,
                Math.Max(0, highWaterMark - checkpoint), lagSeconds, deadLetters,
                nodes is null ? null : nodes.GetValueOrDefault(projection.Name, ProjectionNode.Nowhere),
                pending?.Version, pending is null ? null : Math.Round((_runtime.Clock.GetUtcNow() - pending.RequestedAt).TotalSeconds, 1),
                state.LastSwap, withoutProgress));
        }

        return result;
    }

    /// <summary>The newest committed sequence (for rebuild and replay targets).</summary>
    public async Task<long> HighestSequenceAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"select coalesce(max(seq_id), 0) from {_eventSchema}.mt_events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>A shard's checkpoint and the seconds since it last moved (Marten stamps <c>last_updated</c> on every progress write).</summary>
    private async Task<(long Checkpoint, double? SecondsSinceProgress)> CheckpointAsync(string shard, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"select last_seq_id, extract(epoch from now() - last_updated)::float8 from {_eventSchema}.mt_event_progression where name = $1");
        command.Parameters.AddWithValue(shard);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                return (0, null);
            return (reader.GetInt64(0), await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false) ? null : Math.Max(0, reader.GetDouble(1)));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return (0, null);
        }
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
