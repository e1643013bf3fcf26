using EventSourcing.Projections.Hosting;
using JasperFx;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSourcing.Benchmarks.Projections;

/// <summary>Daemon hosts for the two sides: same Marten configuration, same daemon (Solo), one projection each.</summary>
internal static class BenchHosts
{
    public static void Marten(StoreOptions opts, string connection, string schema)
    {
        opts.Connection(connection);
        opts.DatabaseSchemaName = schema;
        opts.AutoCreateSchemaObjects = AutoCreate.All;
        opts.Events.AddEventType<BenchOrderPlaced>();
        opts.Events.AddEventType<BenchOrderShipped>();
        opts.Events.AddEventType<BenchOrderNoted>();

        // the same daemon polling for both sides: look for new events every 50 ms
        opts.Projections.FastPollingTime = TimeSpan.FromMilliseconds(50);
        opts.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(100);
    }

    public static IHost Ours(string connection, string schema, int batchSize = 500)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddMarten(o => Marten(o, connection, schema)).AddAsyncDaemon(DaemonMode.Solo);
        builder.Services.AddProjections(p =>
        {
            p.Options = new ProjectionsOptions { ConnectionString = connection, Schema = schema, BatchSize = batchSize };
            p.Add<BenchOrderProjection>();
        });
        return builder.Build();
    }

    public static IHost Baseline(string connection, string schema)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddMarten(o =>
        {
            Marten(o, connection, schema);
            o.Projections.Add<MartenBenchOrderProjection>(ProjectionLifecycle.Async);
        }).AddAsyncDaemon(DaemonMode.Solo);
        return builder.Build();
    }

    public static async Task<long> ProgressAsync(NpgsqlDataSource dataSource, string schema, string shardPrefix, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"select coalesce(max(last_seq_id), 0) from {schema}.mt_event_progression where name like $1 || '%' and name <> 'HighWaterMark'");
        command.Parameters.AddWithValue(shardPrefix);
        try
        {
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    public static Task WaitForAsync(Func<Task<bool>> done, TimeSpan timeout, string what, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return TestInfrastructure.Eventually.Until(done, timeout, what);
    }
}
