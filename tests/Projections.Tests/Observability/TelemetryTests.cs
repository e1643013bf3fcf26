using System.Diagnostics.Metrics;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Observability;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Projections.Tests.Observability;

public sealed class TelemetryTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task batches_emit_events_processed_batch_size_and_dead_letter_metrics_tagged_by_projection()
    {
        var schema = postgres.NewSchemaName();
        var name = "telemetry_" + Guid.NewGuid().ToString("N")[..6];
        var measured = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ProjectionTelemetry.Name)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
        void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "projection" && Equals(tag.Value, name))
                    measured.AddOrUpdate(instrument.Name, value, (_, v) => v + value);
            }
        }

        using var host = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection(name, brokenOnNote: "boom")]);
        await host.StartAsync();
        var a = Guid.NewGuid();
        await host.Services.GetRequiredService<IDocumentStore>().AppendAsync(a, new OrderPlaced(a, "ann", 1m), new OrderNoted(a, "boom"), new OrderShipped(a, "ups"));

        await Eventually.Until(() => Task.FromResult(measured.GetValueOrDefault("projections.events.processed")), v => v >= 2, TimeSpan.FromSeconds(60), "events processed");
        Assert.Equal(1, measured.GetValueOrDefault("projections.dead_letters"));
        Assert.True(measured.GetValueOrDefault("projections.batch.size") >= 3);
        await host.StopAsync();
    }

    [Fact]
    public async Task the_health_check_is_degraded_while_a_circuit_is_open_and_unhealthy_when_faulted()
    {
        var health = new ProjectionHealth();
        var check = new ProjectionHealthCheck(health, new ProjectionsOptions { ConnectionString = "Host=unused" }, TimeProvider.System);
        var context = new HealthCheckContext();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context)).Status);

        health.CircuitOpened("orders", new Projections.Sinks.SinkUnavailableException("connection refused"));
        var degraded = await check.CheckHealthAsync(context);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("orders", degraded.Description, StringComparison.Ordinal);

        health.CircuitClosed("orders");
        health.Faulted("orders", new InvalidOperationException("broken"));
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);
    }
}
