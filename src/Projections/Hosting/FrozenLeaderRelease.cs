using JasperFx.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine.Runtime;

namespace EventSourcing.Projections.Hosting;

/// <summary>
/// Wolverine distribution with a <see cref="ProjectionsOptions.HostLease"/>: Wolverine elects its leader with a PostgreSQL session
/// advisory lock and never checks the leader's own heartbeat, so a frozen leader (SIGSTOP, a paused VM) keeps the lock, no
/// other node is elected, and nothing it ran is placed elsewhere. Wolverine tags that session with a name of its own, so the
/// host lease cannot end it by the host's Application Name. Instead each node checks, with its lease renewal: when the node
/// that Wolverine's assignment table names as leader has a heartbeat (<c>wolverine_nodes.health_check</c>, written by that
/// process itself) older than the lease, the session holding the leadership lock is ended. The next node to check its
/// leadership takes the lock and, as leader, moves the frozen node's read models. When the frozen node resumes, its lock
/// connection is gone, so it is no longer leader; its writes were fenced all along by the conditional checkpoint.
/// </summary>
internal sealed class FrozenLeaderRelease(NpgsqlDataSource dataSource, string schema, Guid self, ILogger logger)
{
    public static FrozenLeaderRelease? For(IServiceProvider services, ProjectionsOptions options)
    {
        if (options.Distribution != ProjectionDistribution.Wolverine || services.GetService<IWolverineRuntime>() is not { } runtime)
            return null;
        var schema = WolverineShards.TablesSchema(services);
        return new FrozenLeaderRelease(services.GetRequiredService<ProjectionsDataSource>().DataSource, schema, runtime.Options.UniqueNodeId,
            services.GetRequiredService<ILoggerFactory>().CreateLogger<FrozenLeaderRelease>());
    }

    /// <summary>Wolverine's PostgreSQL leadership lock: <c>pg_try_advisory_lock(hash of the schema name)</c>.</summary>
    private long LeaderLockId => schema.GetDeterministicHashCode();

    public async Task CheckAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"with leader as (select n.node_number, extract(epoch from now() - n.health_check)::float8 as silent " +
            $"from {schema}.wolverine_node_assignments a join {schema}.wolverine_nodes n on n.id = a.node_id " +
            "where a.id like 'wolverine://leader%' and n.health_check < now() - $1 and n.id <> $2) " +
            // pg_terminate_backend in the select list only: the quals of a where clause may run in any order
            "select leader.node_number, leader.silent, (select count(*) filter (where ended) from (select pg_terminate_backend(l.pid) as ended " +
            "from pg_locks l where l.locktype = 'advisory' and l.granted and l.objsubid = 1 and l.pid <> pg_backend_pid() " +
            "and l.database = (select oid from pg_database where datname = current_database()) " +
            "and l.objid = ($3::bigint & 4294967295)::oid and l.classid = (($3::bigint >> 32) & 4294967295)::oid) s)::int from leader");
        command.Parameters.AddWithValue(lease);
        command.Parameters.AddWithValue(self);
        command.Parameters.AddWithValue(LeaderLockId);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var ended = reader.GetInt32(2);
                if (ended == 0)
                    continue;
                Observability.ProjectionTelemetry.HostsTakenForDead.Add(1,
                    new System.Diagnostics.TagList { { "host", $"wolverine leader node {reader.GetInt32(0)}" }, { "by", self.ToString() } });
                logger.LogWarning("Wolverine leader node {Node} wrote no heartbeat for {Seconds:0.0} s (lease {Lease}): its leadership lock " +
                                  "session was ended so another node is elected and moves its read models", reader.GetInt32(0), reader.GetDouble(1), lease);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // no Wolverine node has started yet
        }
    }
}
