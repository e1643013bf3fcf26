using System.Text.Json;
using EventSourcing.Projections.Cli;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Tests.Distribution;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wolverine.Runtime;
using Xunit.Abstractions;

namespace EventSourcing.Projections.Tests.Cli;

/// <summary>Under Wolverine distribution, <c>projections status</c> names the node that runs each read model.</summary>
public sealed class StatusNodeTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly string[] Names = ["node_a", "node_b"];

    [Fact]
    public async Task status_under_wolverine_names_the_node_that_runs_each_read_model()
    {
        var schema = postgres.NewSchemaName();
        using var one = Build(schema);
        using var two = Build(schema);
        await one.StartAsync();
        await two.StartAsync();
        await TestEventLog.SeedOrdersAsync(one.Services.GetRequiredService<IDocumentStore>(), orders: 20);
        var placement = await Eventually.Until(() => NodeAssignments.ReadAsync(postgres.DataSource, schema),
            p => p.Count == Names.Length && p.Values.Distinct().Count() == 2, Timeout, "one read model on each host");

        var json = await RunAsync(schema, "status", "--json");
        var text = await RunAsync(schema, "status");
        var single = await RunAsync(schema, "status", "node_b", "--json");
        await two.StopAsync();
        await one.StopAsync();
        output.WriteLine(text.Out);
        output.WriteLine(json.Out);

        Assert.Equal((ExitCodes.Ok, ""), (json.Code, json.Err));
        var nodes = JsonDocument.Parse(json.Out).RootElement.EnumerateArray()
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("node"), StringComparer.Ordinal);
        Assert.Equal(Names, nodes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { NodeNumberOf(one), NodeNumberOf(two) }.Order(), nodes.Values.Select(n => n.GetProperty("number").GetInt32()).Order());
        foreach (var (name, node) in nodes)
        {
            Assert.Equal(placement[name], node.GetProperty("number").GetInt32());
            Assert.Equal(Environment.MachineName, node.GetProperty("description").GetString());
            Assert.Equal(JsonValueKind.String, node.GetProperty("assignedAt").ValueKind);
            Assert.True(node.GetProperty("heartbeatAgeSeconds").GetDouble() >= 0, node.ToString());
        }

        Assert.Equal(placement["node_b"], JsonDocument.Parse(single.Out).RootElement[0].GetProperty("node").GetProperty("number").GetInt32());
        Assert.Equal((ExitCodes.Ok, ""), (text.Code, text.Err));
        Assert.Contains("heartbeat s", text.Out, StringComparison.Ordinal);
        foreach (var name in Names)
            Assert.Contains($"{placement[name]} ({Environment.MachineName})", LineOf(text.Out, name), StringComparison.Ordinal);
    }

    [Fact]
    public async Task status_under_wolverine_before_any_node_started_shows_every_read_model_placed_nowhere()
    {
        var schema = postgres.NewSchemaName();

        var json = await RunAsync(schema, "status", "--json");
        var text = await RunAsync(schema, "status");

        Assert.Equal((ExitCodes.Ok, ""), (json.Code, json.Err));
        foreach (var row in JsonDocument.Parse(json.Out).RootElement.EnumerateArray())
        {
            var node = row.GetProperty("node");
            Assert.Equal(JsonValueKind.Null, node.GetProperty("number").ValueKind);
            Assert.Equal(JsonValueKind.Null, node.GetProperty("description").ValueKind);
        }

        Assert.Equal((ExitCodes.Ok, ""), (text.Code, text.Err));
        foreach (var name in Names)
            Assert.Contains("none", LineOf(text.Out, name), StringComparison.Ordinal);
    }

    private static int NodeNumberOf(IHost host) => host.Services.GetRequiredService<IWolverineRuntime>().Options.Durability.AssignedNodeNumber;

    private static string LineOf(string table, string name) =>
        table.Split('\n').SingleOrDefault(l => l.Contains(name, StringComparison.Ordinal)) ?? throw new InvalidOperationException($"no row {name} in\n{table}");

    private static ProjectionsOptions Wolverine(ProjectionsOptions options) => options with { Distribution = ProjectionDistribution.Wolverine };

    private IHost Build(string schema) =>
        DaemonHost.Build(postgres.ConnectionString, schema, Names.Select(n => new OrderSummaryProjection(n)), options: Wolverine);

    private async Task<(int Code, string Out, string Err)> RunAsync(string schema, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await ProjectionsCli.RunAsync(args,
            b => DaemonHost.Configure(b, postgres.ConnectionString, schema, Names.Select(n => new OrderSummaryProjection(n)), options: Wolverine),
            stdout, stderr, interactive: false, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
