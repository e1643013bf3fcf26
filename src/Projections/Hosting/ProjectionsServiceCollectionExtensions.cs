using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Sinks.Postgres;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventSourcing.Projections.Hosting;

public static class ProjectionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the projections as subscriptions of Marten's async daemon, leaving the daemon to the host
    /// (call after <c>AddMarten(...)</c> and choose it there: <c>.AddAsyncDaemon(DaemonMode.HotCold)</c> or
    /// <c>.AddAsyncDaemon(DaemonMode.Solo)</c> for <see cref="ProjectionDistribution.HotCold"/>; prefer
    /// <c>AddMarten(...).AddProjections(...)</c>, which picks the daemon from <see cref="ProjectionsOptions.Distribution"/>).
    /// Also registers the sink (PostgreSQL unless <see cref="ProjectionsBuilder.UseSink"/>), the daemon's
    /// tables, the health check <c>projections</c>, the catalog the CLI uses, and a startup check that the
    /// host's daemon matches <see cref="ProjectionsOptions.Distribution"/>.
    /// </summary>
    public static IServiceCollection AddProjections(this IServiceCollection services, Action<ProjectionsBuilder> configure)
    {
        Register(services, configure);
        return services;
    }

    internal static ProjectionsOptions Register(IServiceCollection services, Action<ProjectionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ProjectionsBuilder();
        configure(builder);
        var options = builder.Options.Validate();

        services.AddSingleton(options);
        services.AddSingleton(new ProjectionCatalog(builder.Projections));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ProjectionsDataSource(NpgsqlDataSource.Create(options.ConnectionString)));
        services.AddSingleton(sp => new ProjectionStore(sp.GetRequiredService<ProjectionsDataSource>().DataSource, options.Schema));
        services.AddSingleton<ProjectionHealth>();
        services.AddSingleton(builder.SinkFactory ?? (sp =>
            new PostgresSink(sp.GetRequiredService<ProjectionsDataSource>().DataSource, new PostgresSinkOptions(options.Schema))));
        services.AddSingleton(sp => new ProjectionRuntime(options, sp.GetRequiredService<IReadModelSink>(),
            sp.GetRequiredService<ProjectionStore>(), sp.GetRequiredService<ProjectionHealth>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DeadLetters.DeadLetterService>();
        services.AddSingleton<DistributionCheck>();
        services.AddHostedService<ProjectionsBootstrap>();
        services.AddHostedService<ProgressWatch>();
        services.AddHostedService<HostLease>();
        services.AddSingleton<Status.StatusService>();
        services.AddSingleton<Rebuild.RebuildService>();
        services.AddSingleton<Rebuild.ReplayService>();
        services.AddHealthChecks().AddCheck<Observability.ProjectionHealthCheck>("projections");

        services.ConfigureMarten((sp, marten) =>
        {
            var runtime = sp.GetRequiredService<ProjectionRuntime>();
            foreach (var projection in builder.Projections)
            {
                marten.Events.AddEventTypes(projection.EventTypes);
                marten.Projections.Subscribe(new ReadModelSubscription(projection, runtime, () => marten.Events.DatabaseSchemaName));
            }
        });
        return options;
    }
}

/// <summary>The projections' own connection pool (daemon tables and the PostgreSQL sink).</summary>
public sealed class ProjectionsDataSource : IAsyncDisposable
{
    public ProjectionsDataSource(NpgsqlDataSource dataSource) => DataSource = dataSource;

    public NpgsqlDataSource DataSource { get; }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
