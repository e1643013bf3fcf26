using EventSourcing.Projections.Observability;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSourcing.Projections.Hosting;

/// <summary>
/// The liveness bound of <see cref="ProjectionsOptions.HostLease"/>: every projection host renews a row of
/// <c>{schema}.projection_hosts</c> every fifth of the lease, on PostgreSQL's clock. A host whose row is older than the lease
/// (dead, or frozen: SIGSTOP, a paused VM, a stalled container) is taken for dead by the first peer that sees it, which deletes
/// the row and terminates that host's PostgreSQL sessions, found by the Application Name of its connections. That frees what a
/// frozen process holds: Marten's HotCold advisory locks, Wolverine's leadership lock, and any batch it had in flight. The
/// engines then place its read models elsewhere on their next poll. PostgreSQL alone cannot do this: the kernel of a stopped
/// process answers TCP keepalives, and an idle timeout would also cut a healthy holder's idle lock session.
/// A host that finds its own row gone was taken for dead: its writes were fenced all along (the conditional checkpoint), it
/// registers again and, under HotCold, restarts its coordinator so it competes for the locks from scratch as a standby.
/// Under Wolverine distribution the leadership lock's session carries Wolverine's own name, so a frozen leader is found by its
/// heartbeat instead (<see cref="FrozenLeaderRelease"/>).
/// </summary>
internal sealed class HostLease(IServiceProvider services, ProjectionsOptions options, ILogger<HostLease> logger) : BackgroundService
{
    private readonly Guid _incarnation = Guid.NewGuid();
    private bool _registered;
    private DateTimeOffset _lastDuplicateWarning = DateTimeOffset.MinValue;
    private FrozenLeaderRelease? _leader;

    private string Table => services.GetRequiredService<Daemon.ProjectionStore>().HostsTable;

    private NpgsqlDataSource DataSource => services.GetRequiredService<ProjectionsDataSource>().DataSource;

    internal string ApplicationName { get; } = ApplicationNameOf(options.ConnectionString);

    /// <summary>Fails the host's start when the event store's sessions would not carry the name the lease terminates by.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.HostLease is null || services.GetService<IDocumentStore>() is not DocumentStore store)
            return Task.CompletedTask;
        var martenName = store.Options.Tenancy.Default.Database is Marten.Storage.MartenDatabase database
            ? ApplicationNameOf(database.DataSource.ConnectionString)
            : ApplicationName;
        if (!string.Equals(martenName, ApplicationName, StringComparison.Ordinal))
            throw new InvalidOperationException(
                $"ProjectionsOptions.HostLease: the event store's connections carry Application Name '{martenName}' and the projections' " +
                $"'{ApplicationName}'; a peer frees a frozen host's locks by terminating the sessions named like its lease, so Marten's " +
                "connection string must carry the same Application Name as ProjectionsOptions.ConnectionString");
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = options.HostLease!.Value;
        _leader = FrozenLeaderRelease.For(services, options);
        using var timer = new PeriodicTimer(RenewalPeriod(lease));
        try
        {
            do
            {
                try
                {
                    await TickAsync(lease, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Host lease of {Host}: renewal failed; trying again in {Period}", ApplicationName, RenewalPeriod(lease));
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A fifth of the lease: a host misses four renewals before it is taken for dead.</summary>
    public static TimeSpan RenewalPeriod(TimeSpan lease) => lease / 5;

    internal async Task TickAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        // a host that was taken for dead finds its pooled sessions ended by the peer: each such session fails once and is dropped
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RenewOrRegisterAsync(lease, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.AdminShutdown && attempt < 5)
            {
                logger.LogInformation("Host lease of {Host}: a pooled session was ended by a peer; trying on another", ApplicationName);
            }
        }
    }

    private async Task RenewOrRegisterAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        if (_registered && !await RenewAsync(cancellationToken).ConfigureAwait(false))
        {
            _registered = false;
            ProjectionTelemetry.HostsTakenForDead.Add(1, new System.Diagnostics.TagList { { "host", ApplicationName }, { "by", "peer" } });
            logger.LogWarning("Host {Host} was taken for dead by a peer (its lease of {Lease} expired: the process was paused or cut off); " +
                              "its sessions were terminated and its read models placed elsewhere. Joining again as a standby", ApplicationName, lease);
            await RejoinAsync().ConfigureAwait(false);
        }

        if (!_registered)
            _registered = await RegisterAsync(lease, cancellationToken).ConfigureAwait(false);
        if (!_registered)
            return;
        await BreakExpiredAsync(lease, cancellationToken).ConfigureAwait(false);
        if (_leader is not null)
            await _leader.CheckAsync(lease, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand($"update {Table} set renewed_at = now() where application_name = $1 and incarnation = $2");
        command.Parameters.AddWithValue(ApplicationName);
        command.Parameters.AddWithValue(_incarnation);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Takes the name's row unless a live host (renewed within the lease) holds it under another incarnation.</summary>
    private async Task<bool> RegisterAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            $"insert into {Table} as h (application_name, incarnation, machine, process_id, started_at, renewed_at) " +
            "values ($1, $2, $3, $4, now(), now()) on conflict (application_name) do update set incarnation = excluded.incarnation, " +
            "machine = excluded.machine, process_id = excluded.process_id, started_at = now(), renewed_at = now() " +
            "where h.renewed_at < now() - $5 or h.incarnation = excluded.incarnation returning 1");
        command.Parameters.AddWithValue(ApplicationName);
        command.Parameters.AddWithValue(_incarnation);
        command.Parameters.AddWithValue(Environment.MachineName);
        command.Parameters.AddWithValue(Environment.ProcessId);
        command.Parameters.AddWithValue(lease);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            return true;
        if (DateTimeOffset.UtcNow - _lastDuplicateWarning > TimeSpan.FromMinutes(1))
        {
            _lastDuplicateWarning = DateTimeOffset.UtcNow;
            logger.LogError("Host lease: another live projection host uses the Application Name {Host}. Give every process its own " +
                            "(ProjectionsOptions.ConnectionString and Marten's connection); until that host's lease expires this one " +
                            "holds none and takes no peer for dead", ApplicationName);
        }

        return false;
    }

    /// <summary>Deletes every expired lease but this host's and terminates the sessions named like it, in one statement.</summary>
    private async Task BreakExpiredAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            $"with expired as (delete from {Table} where renewed_at < now() - $1 and application_name <> $2 " +
            "returning application_name, machine, process_id, extract(epoch from now() - renewed_at)::float8 as silent) " +
            "select e.application_name, e.machine, e.process_id, e.silent, " +
            // pg_terminate_backend in the select list, never in a where clause: PostgreSQL may evaluate the quals of one where
            // clause in any order, and would then end every session of the server, not just the named ones
            "(select count(*) filter (where ended) from (select pg_terminate_backend(a.pid) as ended from pg_stat_activity a " +
            "where a.application_name = e.application_name and a.datname = current_database() and a.pid <> pg_backend_pid()) s)::int from expired e");
        command.Parameters.AddWithValue(lease);
        command.Parameters.AddWithValue(ApplicationName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var host = reader.GetString(0);
            ProjectionTelemetry.HostsTakenForDead.Add(1, new System.Diagnostics.TagList { { "host", host }, { "by", ApplicationName } });
            logger.LogWarning("Host {Host} ({Machine}, process {ProcessId}) renewed no lease for {Seconds:0.0} s (lease {Lease}): taken for dead, " +
                              "{Sessions} of its PostgreSQL session(s) terminated so its locks are free",
                host, reader.GetString(1), reader.GetInt32(2), reader.GetDouble(3), lease, reader.GetInt32(4));
        }
    }

    /// <summary>HotCold or Solo: the coordinator competes for every lock again from scratch; Wolverine re-registers its node itself.</summary>
    private async Task RejoinAsync()
    {
        if (options.Distribution != ProjectionDistribution.HotCold || services.GetService<IProjectionCoordinator>() is not { } coordinator)
            return;
        try
        {
            await coordinator.PauseAsync().ConfigureAwait(false);
            await coordinator.ResumeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Host {Host}: could not restart the projection coordinator after being taken for dead", ApplicationName);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (!_registered)
            return;
        try
        {
            // a host that leaves in order gives its name back at once
            await using var command = DataSource.CreateCommand($"delete from {Table} where application_name = $1 and incarnation = $2");
            command.Parameters.AddWithValue(ApplicationName);
            command.Parameters.AddWithValue(_incarnation);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or ObjectDisposedException)
        {
            logger.LogDebug(e, "Host lease of {Host}: could not delete the row on shutdown; it expires by itself", ApplicationName);
        }
    }

    internal static string ApplicationNameOf(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString).ApplicationName ?? "";
        }
        catch (ArgumentException)
        {
            return "";
        }
    }
}
