using System.Text.Json;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.DeadLetters;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks.Postgres;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Projections.Tests.Daemon;

public sealed class DaemonTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private Task<IReadOnlyDictionary<string, string>> ReadAsync(string schema) =>
        ReadModelReader.ReadViewAsync(postgres.DataSource, schema, "order_summary");

    private static OrderSummary Parse(string json) =>
        JsonSerializer.Deserialize<OrderSummary>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    [Fact]
    public async Task the_daemon_creates_updates_and_deletes_documents_in_global_order()
    {
        var schema = postgres.NewSchemaName();
        using var host = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection()]);
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();

        await store.AppendAsync(a, new OrderPlaced(a, "ann", 10m), new OrderShipped(a, "dhl"));
        await store.AppendAsync(b, new OrderPlaced(b, "bob", 20m), new OrderAudited(b), new OrderNoted(b, "gift"));
        await store.AppendAsync(c, new OrderPlaced(c, "cat", 30m));
        await store.AppendAsync(c, new OrderPurged(c));

        var docs = await Eventually.Until(() => ReadAsync(schema), d => d.Count == 2 && d.Values.Any(v => v.Contains("gift", StringComparison.Ordinal)), Timeout, "two projected orders");
        Assert.Equal(new OrderSummary(a, "ann", 10m, "shipped by dhl", 2), Parse(docs[a.ToString("D")]));
        Assert.Equal(new OrderSummary(b, "bob", 20m, "placed", 2, "gift"), Parse(docs[b.ToString("D")]));
        Assert.False(docs.ContainsKey(c.ToString("D")));
        await host.StopAsync();
    }

    [Fact]
    public async Task a_poison_event_is_dead_lettered_later_events_are_projected_and_a_retry_after_the_fix_projects_it()
    {
        var schema = postgres.NewSchemaName();
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        using (var broken = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection(brokenOnNote: "boom")]))
        {
            await broken.StartAsync();
            var store = broken.Services.GetRequiredService<IDocumentStore>();
            await store.AppendAsync(a, new OrderPlaced(a, "ann", 10m), new OrderNoted(a, "boom"));
            await store.AppendAsync(b, new OrderPlaced(b, "bob", 20m));
            await store.AppendAsync(a, new OrderShipped(a, "ups"));

            var docs = await Eventually.Until(() => ReadAsync(schema), d => d.Count == 2 && d[a.ToString("D")].Contains("ups", StringComparison.Ordinal), Timeout, "later events projected");
            Assert.Null(Parse(docs[a.ToString("D")]).Note);
            var deadLetters = await broken.Services.GetRequiredService<DeadLetterService>().ListAsync("order_summary", CancellationToken.None);
            var letter = Assert.Single(deadLetters);
            Assert.Equal(a.ToString("D"), letter.StreamKey);
            Assert.Contains("cannot handle note 'boom'", letter.Error, StringComparison.Ordinal);
            await broken.StopAsync();
        }

        using var fixedHost = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection()]);
        await fixedHost.StartAsync();
        var service = fixedHost.Services.GetRequiredService<DeadLetterService>();

        var result = await service.RetryAsync("order_summary", sequence: null, CancellationToken.None);

        Assert.Equal(1, result.Succeeded);
        Assert.Empty(result.Failed);
        Assert.Empty(await service.ListAsync("order_summary", CancellationToken.None));
        var after = await ReadAsync(schema);
        Assert.Equal(new OrderSummary(a, "ann", 10m, "shipped by ups", 3, "boom"), Parse(after[a.ToString("D")]));
        await fixedHost.StopAsync();
    }

    [Fact]
    public async Task while_the_sink_is_down_the_circuit_opens_and_the_projection_resumes_by_itself()
    {
        var schema = postgres.NewSchemaName();
        FlakySink? sink = null;
        using var host = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection()],
            sp => sink = new FlakySink(new PostgresSink(sp.GetRequiredService<ProjectionsDataSource>().DataSource, new PostgresSinkOptions(schema))) { Down = true });
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var health = host.Services.GetRequiredService<ProjectionHealth>();
        var a = Guid.NewGuid();

        await store.AppendAsync(a, new OrderPlaced(a, "ann", 10m));
        await Eventually.Until(() => Task.FromResult(health.Get("order_summary")?.CircuitOpenSince is not null), Timeout, "the circuit to open");
        Assert.Empty(await ReadAsync(schema));

        sink!.Down = false;

        await Eventually.Until(async () => (await ReadAsync(schema)).Count == 1, Timeout, "the projection to resume");
        await Eventually.Until(() => Task.FromResult(health.Get("order_summary")?.CircuitOpenSince is null), Timeout, "the circuit to close");
        await host.StopAsync();
    }
}
