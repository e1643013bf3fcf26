using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks;
using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventSourcing.Projections.Tests.Support;

/// <summary>Builds a projection daemon host on Marten (HotCold) against one test schema.</summary>
public static class DaemonHost
{
    public static IHost Build(
        string connectionString, string schema, IEnumerable<IReadModelProjection> projections,
        Func<IServiceProvider, IReadModelSink>? sink = null, Func<ProjectionsOptions, ProjectionsOptions>? options = null)
    {
        var builder = Host.CreateApplicationBuilder();
        Configure(builder, connectionString, schema, projections, sink, options);
        return builder.Build();
    }

    /// <summary>The registrations of the test host: also what the CLI tests hand to <c>ProjectionsCli.RunAsync</c>.</summary>
    public static void Configure(
        HostApplicationBuilder builder, string connection, string schema, IEnumerable<IReadModelProjection> projections,
        Func<IServiceProvider, IReadModelSink>? sink = null, Func<ProjectionsOptions, ProjectionsOptions>? options = null)
    {
        builder.Logging.ClearProviders();
        builder.Services.AddMarten(opts =>
            {
                opts.Connection(connection);
                opts.DatabaseSchemaName = schema;
                opts.AutoCreateSchemaObjects = AutoCreate.All;
                opts.Events.AddEventType<OrderAudited>();
            })
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(DaemonMode.HotCold);
        builder.Services.AddProjections(p =>
        {
            p.Options = (options ?? (o => o))(new ProjectionsOptions
            {
                ConnectionString = connection,
                Schema = schema,
                BatchSize = 200,
                RetryInitialDelay = TimeSpan.FromMilliseconds(20),
                RetryMaxDelay = TimeSpan.FromMilliseconds(200),
                PausePollInterval = TimeSpan.FromMilliseconds(50),
            });
            foreach (var projection in projections)
                p.Add(projection);
            if (sink is not null)
                p.UseSink(sink);
        });
    }

    public static async Task AppendAsync(this IDocumentStore store, Guid stream, params object[] events)
    {
        await using var session = store.LightweightSession();
        session.Events.Append(stream, events);
        await session.SaveChangesAsync();
    }
}
