using System.Diagnostics.Metrics;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Observability;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventSourcing.Projections.Tests.Daemon;

/// <summary>
/// Two Solo daemons on one log (what several replicas of a single-host deployment are): both run the read model, the
/// conditional checkpoint rejects the loser's batch (<c>ProgressionProgressOutOfOrderException</c>) and Marten stops its agent.
/// The agent must not stay stopped: it is handed back to the coordinator and starts again from the checkpoint, so when the
/// other daemon goes, the read model carries on. Every document equals the fold (each order counts its changes: an event
/// applied twice would show).
/// </summary>
public sealed class SoloReplicaTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task racing_solo_daemons_restart_the_agent_the_race_stopped_and_either_one_carries_on_alone()
    {
        var schema = postgres.NewSchemaName();
        const string name = "orders_solo";
        await using var store = TestEventLog.Store(postgres.ConnectionString, schema);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await TestEventLog.SeedOrdersAsync(store, orders: 300);
        using var restarts = new RestartCounter(name);

        using var one = Start(schema, name);
        using var two = Start(schema, name);
        await one.StartAsync();
        await two.StartAsync();
        // both read the same pages from the same checkpoint while orders keep coming: one commits, the other's batch is
        // rejected and its agent stopped
        using (var writing = new CancellationTokenSource())
        {
            var writer = Task.Run(async () =>
            {
                while (!writing.IsCancellationRequested)
                    await TestEventLog.SeedOrdersAsync(store, orders: 10);
            }, CancellationToken.None);
            await Eventually.Until(() => Task.FromResult(restarts.Count > 0), Timeout, "an agent stopped by the race to be handed back");
            await writing.CancelAsync();
            await writer;
        }

        await CaughtUpAsync(schema, name);

        // whichever of them was ahead, each in turn must carry on alone
        await one.StopAsync();
        await TestEventLog.SeedOrdersAsync(store, orders: 100);
        await CaughtUpAsync(schema, name);
        using var three = Start(schema, name);
        await three.StartAsync();
        await two.StopAsync();
        await TestEventLog.SeedOrdersAsync(store, orders: 100);
        await CaughtUpAsync(schema, name);
        await three.StopAsync();

        var view = await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, name);
        Assert.Equal(await LiveOrdersAsync(schema), view.Count);
        Assert.All(view.Values, json => Assert.Equal(9, Changes(json)));
    }

    private IHost Start(string schema, string name)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddMarten(opts =>
            {
                opts.Connection(postgres.ConnectionString);
                opts.DatabaseSchemaName = schema;
                opts.AutoCreateSchemaObjects = AutoCreate.All;
                opts.Events.AddEventType<OrderAudited>();
                opts.Projections.LeadershipPollingTime = 200;
            })
            .AddAsyncDaemon(DaemonMode.Solo);
        builder.Services.AddProjections(p =>
        {
            p.Options = new ProjectionsOptions
            {
                ConnectionString = postgres.ConnectionString,
                Schema = schema,
                BatchSize = 50,
                ProgressCheckInterval = TimeSpan.FromMilliseconds(200),
            };
            p.Add(new OrderSummaryProjection(name));
        });
        return builder.Build();
    }

    /// <summary>The oracle: orders placed minus orders purged, counted in mt_events.</summary>
    private async Task<long> LiveOrdersAsync(string schema)
    {
        await using var command = postgres.DataSource.CreateCommand(
            $"select count(*) filter (where type = 'order_placed') - count(*) filter (where type = 'order_purged') from {schema}.mt_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static int Changes(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().Single(p => p.NameEquals("changes") || p.NameEquals("Changes")).Value.GetInt32();
    }

    private async Task CaughtUpAsync(string schema, string name)
    {
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, name), c => c >= head, Timeout, $"{name} at {head}");
    }

    /// <summary>Counts <c>projections.agents.restarted</c> as recorded by any host of this process.</summary>
    private sealed class RestartCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _count;

        public RestartCounter(string projection)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ProjectionTelemetry.Name && instrument.Name == "projections.agents.restarted")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag is { Key: "projection", Value: string p } && p == projection)
                        Interlocked.Add(ref _count, (int)value);
                }
            });
            _listener.Start();
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
