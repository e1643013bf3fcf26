using EventSourcing.Projections.Hosting;
using Npgsql;

namespace EventSourcing.Projections.Status;

/// <summary>One row of <c>projections hosts</c>: a projection host's lease (see <see cref="ProjectionsOptions.HostLease"/>).</summary>
/// <param name="ApplicationName">The name its PostgreSQL sessions carry; a peer ends those sessions when the lease expires.</param>
/// <param name="SilentSeconds">Seconds since it last renewed, on PostgreSQL's clock.</param>
/// <param name="Expired">Silent for longer than this host's configured lease: the next live peer takes it for dead; null when no lease is configured here.</param>
public sealed record HostLeaseRow(string ApplicationName, string Machine, int ProcessId, DateTimeOffset StartedAt, double SilentSeconds, bool? Expired);

/// <summary>Reads <c>{schema}.projection_hosts</c>, newest start first.</summary>
public sealed class HostLeases(ProjectionsDataSource dataSource, Daemon.ProjectionStore store, ProjectionsOptions options)
{
    public async Task<IReadOnlyList<HostLeaseRow>> GetAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.DataSource.CreateCommand(
            $"select application_name, machine, process_id, started_at, extract(epoch from now() - renewed_at)::float8 from {store.HostsTable} order by started_at desc, application_name");
        var rows = new List<HostLeaseRow>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var silent = reader.GetDouble(4);
                rows.Add(new HostLeaseRow(reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                    await reader.GetFieldValueAsync<DateTimeOffset>(3, cancellationToken).ConfigureAwait(false), silent,
                    options.HostLease is { } lease ? silent > lease.TotalSeconds : null));
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // no host has started on this schema yet
        }

        return rows;
    }
}
