using System.Globalization;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderDomain.Hosting;

namespace OrderDomain.Health;

/// <summary>
/// Ready while every projection is at most <see cref="OrderServiceOptions.MaxProjectionLag"/> events behind
/// the head of the event log (the log's last sequence number minus the projection's checkpoint).
/// </summary>
public sealed class ProjectionLagHealthCheck(IServiceProvider services, OrderServiceOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<ProjectionCatalog>() is not { } catalog || services.GetService<ProjectionHealth>() is not { } health)
            return HealthCheckResult.Healthy("no projection host in this process");

        var head = await ProjectionLag.HeadAsync(services.GetRequiredService<Search.ReadModelDatabase>(), options.EventSchema, cancellationToken);
        var lags = ProjectionLag.Of(catalog, health, head);
        var data = lags.ToDictionary(l => l.Key, l => (object)l.Value, StringComparer.Ordinal);
        var behind = lags.Where(l => l.Value > options.MaxProjectionLag).Select(l => $"{l.Key} is {l.Value.ToString(CultureInfo.InvariantCulture)} events behind").ToList();
        return behind.Count == 0
            ? HealthCheckResult.Healthy($"every projection is within {options.MaxProjectionLag.ToString(CultureInfo.InvariantCulture)} events of the log head {head.ToString(CultureInfo.InvariantCulture)}", data)
            : HealthCheckResult.Unhealthy(string.Join("; ", behind) + $" (threshold {options.MaxProjectionLag.ToString(CultureInfo.InvariantCulture)})", data: data);
    }
}

/// <summary>How far each projection is behind the event log.</summary>
public static class ProjectionLag
{
    /// <summary>The sequence number of the newest committed event (0 for an empty log). Not the sequence's value: rolled-back appends leave gaps.</summary>
    public static async Task<long> HeadAsync(Search.ReadModelDatabase database, string eventSchema, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var command = database.DataSource.CreateCommand($"select coalesce(max(seq_id), 0) from {eventSchema}.mt_events");
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return 0; // nothing appended yet: the event tables are created on first use
        }
    }

    public static IReadOnlyDictionary<string, long> Of(ProjectionCatalog catalog, ProjectionHealth health, long head)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(health);
        // only the read models that run in this process: with several projection hosts, the others run elsewhere (their
        // progress is the 'projections' check's and 'projections status' concern), and a standby must stay ready
        var here = health.Snapshot();
        return catalog.All.Where(p => here.ContainsKey(p.Name))
            .ToDictionary(p => p.Name, p => Math.Max(0, head - here[p.Name].Checkpoint), StringComparer.Ordinal);
    }
}
