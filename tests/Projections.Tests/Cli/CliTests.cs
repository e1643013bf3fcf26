using System.Text.Json;
using EventSourcing.Projections.Cli;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Projections.Tests.Cli;

/// <summary>Drives the CLI in-process against a daemon host running on the same schema.</summary>
public sealed class CliTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private async Task<(int Code, string Out, string Err)> RunAsync(string schema, string? brokenOnNote, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ProjectionsCli.RunAsync(args,
            b => DaemonHost.Configure(b, postgres.ConnectionString, schema, [new OrderSummaryProjection(brokenOnNote: brokenOnNote)]),
            output, error, interactive: false, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<(string Schema, IHost Daemon)> StartDaemonAsync()
    {
        var schema = postgres.NewSchemaName();
        var daemon = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection(brokenOnNote: "boom")]);
        await daemon.StartAsync();
        var store = daemon.Services.GetRequiredService<IDocumentStore>();
        var a = Guid.NewGuid();
        await TestEventLog.SeedOrdersAsync(store, orders: 20);
        await store.AppendAsync(a, new OrderPlaced(a, "ann", 1m), new OrderNoted(a, "boom"));
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary"), c => c >= head, Timeout, "caught up");
        return (schema, daemon);
    }

    [Fact]
    public async Task help_lists_every_command_and_exits_0()
    {
        var (code, output, _) = await RunAsync("unused", null, "--help");

        Assert.Equal(ExitCodes.Ok, code);
        foreach (var command in new[] { "list", "status", "rebuild", "replay", "dead-letters", "pause", "resume" })
            Assert.Contains(command, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status", "nope")]
    [InlineData("rebuild")]
    [InlineData("replay", "order_summary", "--from", "yesterday-ish")]
    [InlineData("frobnicate")]
    public async Task bad_input_exits_2_with_a_message(params string[] args)
    {
        var (code, _, error) = await RunAsync(postgres.NewSchemaName(), null, args);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task status_json_shows_checkpoint_lag_and_dead_letters_and_pause_resume_change_the_state()
    {
        var (schema, daemon) = await StartDaemonAsync();
        using var _ = daemon;

        var (code, output, _) = await RunAsync(schema, "boom", "status", "--json");
        var status = JsonDocument.Parse(output).RootElement[0];
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("order_summary", status.GetProperty("name").GetString());
        Assert.Equal("running", status.GetProperty("state").GetString());
        Assert.Equal(head, status.GetProperty("checkpoint").GetInt64());
        Assert.Equal(0, status.GetProperty("lagEvents").GetInt64());
        Assert.Equal(1, status.GetProperty("deadLetters").GetInt64());
        // HotCold: the leader host runs every read model, so there is no node to show and Wolverine's tables are never read
        Assert.False(status.TryGetProperty("node", out var node), node.ToString());
        var text = await RunAsync(schema, "boom", "status");
        Assert.Equal((ExitCodes.Ok, ""), (text.Code, text.Err));
        Assert.DoesNotContain("node", text.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("heartbeat", text.Out, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Ok, (await RunAsync(schema, "boom", "pause", "order_summary")).Code);
        Assert.Contains("paused", (await RunAsync(schema, "boom", "status", "order_summary")).Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, (await RunAsync(schema, "boom", "resume", "order_summary")).Code);
        Assert.Contains("running", (await RunAsync(schema, "boom", "status", "order_summary")).Out, StringComparison.Ordinal);
        await daemon.StopAsync();
    }

    [Fact]
    public async Task dead_letters_retry_fails_with_exit_1_until_the_code_is_fixed_then_succeeds()
    {
        var (schema, daemon) = await StartDaemonAsync();
        using var _ = daemon;

        var list = await RunAsync(schema, "boom", "dead-letters", "list", "--json");
        Assert.Single(JsonDocument.Parse(list.Out).RootElement.EnumerateArray());

        Assert.Equal(ExitCodes.Failed, (await RunAsync(schema, "boom", "dead-letters", "retry", "order_summary")).Code);
        var retried = await RunAsync(schema, null, "dead-letters", "retry", "order_summary");
        Assert.Equal(ExitCodes.Ok, retried.Code);
        Assert.Contains("1 retried, 0 failed again", retried.Out, StringComparison.Ordinal);
        Assert.Empty(JsonDocument.Parse((await RunAsync(schema, null, "dead-letters", "list", "--json")).Out).RootElement.EnumerateArray());
        await daemon.StopAsync();
    }

    [Fact]
    public async Task rebuild_wait_returns_when_the_daemon_swapped_the_new_version_in()
    {
        var (schema, daemon) = await StartDaemonAsync();
        using var _ = daemon;

        var (code, output, progress) = await RunAsync(schema, "boom", "rebuild", "order_summary", "--wait", "--json");

        Assert.True(code == ExitCodes.Ok, progress);
        Assert.Equal(2, JsonDocument.Parse(output).RootElement[0].GetProperty("version").GetInt32());
        Assert.Contains("ev/s", progress, StringComparison.Ordinal);
        var status = JsonDocument.Parse((await RunAsync(schema, "boom", "status", "--json")).Out).RootElement[0];
        Assert.Equal(2, status.GetProperty("liveVersion").GetInt32());
        Assert.Equal(20 - 2, (await ReadModelReader.ReadViewAsync(postgres.DataSource, schema, "order_summary")).Count - 1);
        await daemon.StopAsync();
    }
}
