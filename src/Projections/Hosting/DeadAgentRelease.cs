using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine.Runtime;
using Wolverine.Runtime.Agents;

namespace EventSourcing.Projections.Hosting;

/// <summary>
/// Under Wolverine distribution: a read model whose durable assignment names this node while its agent here is not running
/// (stopped by a failure Wolverine will not restart, e.g. <c>ProgressionProgressOutOfOrderException</c> after this node was
/// paused, ejected and came back) is dead for as long as the assignment stands: the leader never moves it, the other nodes
/// refuse it. When that holds on two checks in a row, or the read model is stalled while assigned here, this node stops the
/// agent through Wolverine (<c>StopLocallyAsync</c>), which also deletes the assignment, so the leader places the read model
/// again on its next assignment check. The new agent starts from the checkpoint in PostgreSQL: nothing is lost or applied twice.
/// </summary>
internal sealed class DeadAgentRelease(IWolverineRuntime runtime, NpgsqlDataSource dataSource, string schema, ILogger logger)
{
    private readonly Dictionary<Uri, int> _misses = [];

    public static DeadAgentRelease? For(IServiceProvider services, ProjectionsOptions options)
    {
        if (options.Distribution != ProjectionDistribution.Wolverine || services.GetService<IWolverineRuntime>() is not { } runtime)
            return null;
        var schema = WolverineShards.TablesSchema(services);
        return new DeadAgentRelease(runtime, services.GetRequiredService<ProjectionsDataSource>().DataSource, schema,
            services.GetRequiredService<ILoggerFactory>().CreateLogger<DeadAgentRelease>());
    }

    public async Task CheckAsync(IReadOnlySet<string> stalled, CancellationToken cancellationToken)
    {
        var assigned = await AssignedHereAsync(cancellationToken).ConfigureAwait(false);
        var running = runtime.Agents.AllRunningAgentUris().ToHashSet();
        foreach (var uri in _misses.Keys.Where(u => !assigned.Contains(u) || running.Contains(u)).ToList())
            _misses.Remove(uri);
        foreach (var uri in assigned)
        {
            var name = uri.Segments.Length >= 2 ? uri.Segments[^2].TrimEnd('/') : "";
            var missing = !running.Contains(uri);
            var misses = missing ? _misses[uri] = _misses.GetValueOrDefault(uri) + 1 : 0;
            if (misses < 2 && !stalled.Contains(name))
                continue;
            logger.LogError("Read model {Projection} is assigned to this node ({Node}) but its agent {State}: releasing it so the leader places it again",
                name, runtime.Options.Durability.AssignedNodeNumber, missing ? "is not running" : "does not advance");
            try
            {
                await runtime.Agents.StopLocallyAsync(uri).ConfigureAwait(false);
                Observability.ProjectionTelemetry.AgentsReleased.Add(1, Observability.ProjectionTelemetry.Tags(name));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Could not release agent {Agent}; trying again on the next check", uri);
            }

            _misses.Remove(uri);
        }
    }

    private async Task<IReadOnlyList<Uri>> AssignedHereAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"select id from {schema}.wolverine_node_assignments where node_id = $1 and id like 'event-subscriptions://%'");
        command.Parameters.AddWithValue(runtime.Options.UniqueNodeId);
        var result = new List<Uri>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                result.Add(new Uri(reader.GetString(0)));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // no Wolverine node has started yet
        }

        return result;
    }
}
