using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks;
using JasperFx;
using JasperFx.CodeGeneration;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;

namespace EventSourcing.Projections.Tests.Support;

/// <summary>Builds a projection daemon host on Marten (HotCold, or Wolverine-managed distribution) against one test schema.</summary>
public static class DaemonHost
{
    public static IHost Build(
        string connectionString, string schema, IEnumerable<IReadModelProjection> projections,
        Func<IServiceProvider, IReadModelSink>? sink = null, Func<ProjectionsOptions, ProjectionsOptions>? options = null,
        Action<StoreOptions>? marten = null)
    {
        var builder = Host.CreateApplicationBuilder();
        Configure(builder, connectionString, schema, projections, sink, options, marten);
        return builder.Build();
    }

    /// <summary>
    /// The registrations of the test host: also what the CLI tests hand to <c>ProjectionsCli.RunAsync</c>.
    /// The daemon follows <see cref="ProjectionsOptions.Distribution"/> (HotCold unless <paramref name="options"/>
    /// says otherwise); a Wolverine host polls its node health and assignments every few hundred milliseconds.
    /// </summary>
    public static void Configure(
        HostApplicationBuilder builder, string connection, string schema, IEnumerable<IReadModelProjection> projections,
        Func<IServiceProvider, IReadModelSink>? sink = null, Func<ProjectionsOptions, ProjectionsOptions>? options = null,
        Action<StoreOptions>? marten = null)
    {
        builder.Logging.ClearProviders();
        var projectionsOptions = (options ?? (o => o))(new ProjectionsOptions
        {
            ConnectionString = connection,
            Schema = schema,
            BatchSize = 200,
            RetryInitialDelay = TimeSpan.FromMilliseconds(20),
            RetryMaxDelay = TimeSpan.FromMilliseconds(200),
            PausePollInterval = TimeSpan.FromMilliseconds(50),
        });
        if (projectionsOptions.Distribution == ProjectionDistribution.Wolverine)
            builder.UseWolverine(FastWolverine);
        builder.Services.AddMarten(opts =>
            {
                opts.Connection(connection);
                opts.DatabaseSchemaName = schema;
                opts.AutoCreateSchemaObjects = AutoCreate.All;
                opts.Events.AddEventType<OrderAudited>();
                marten?.Invoke(opts);
            })
            .ApplyAllDatabaseChangesOnStartup()
            .AddProjections(p =>
            {
                p.Options = projectionsOptions;
                foreach (var projection in projections)
                    p.Add(projection);
                if (sink is not null)
                    p.UseSink(sink);
            });
    }

    /// <summary>Wolverine for tests: no handler discovery, health checks and assignment checks every few hundred milliseconds.</summary>
    private static void FastWolverine(WolverineOptions wolverine)
    {
        wolverine.ApplicationAssembly = typeof(DaemonHost).Assembly;
        wolverine.Discovery.DisableConventionalDiscovery();
        // no message handlers of its own: nothing to compile at runtime
        wolverine.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
        wolverine.Durability.Mode = DurabilityMode.Balanced;
        wolverine.Durability.FirstHealthCheckExecution = TimeSpan.FromMilliseconds(100);
        wolverine.Durability.HealthCheckPollingTime = TimeSpan.FromMilliseconds(500);
        wolverine.Durability.CheckAssignmentPeriod = TimeSpan.FromMilliseconds(500);
        // a node killed without shutdown keeps its row: every node writes its heartbeat every HealthCheckPollingTime; once a
        // node's heartbeat is older than StaleNodeTimeout the leader leaves it out of the assignment grid and places its
        // read models elsewhere, and after StaleNodeEjectionThreshold such checks in a row deletes its row and assignments
        wolverine.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(5);
        wolverine.Durability.StaleNodeEjectionThreshold = 2;
    }

    public static async Task AppendAsync(this IDocumentStore store, Guid stream, params object[] events)
    {
        await using var session = store.LightweightSession();
        session.Events.Append(stream, events);
        await session.SaveChangesAsync();
    }
}
