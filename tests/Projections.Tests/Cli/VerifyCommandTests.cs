using System.Text.Json;
using EventSourcing.Projections.Cli;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcing.Projections.Tests.Cli;

/// <summary><c>projections verify</c> driven in-process, as an operator runs it, against a read model a daemon built.</summary>
public sealed class VerifyCommandTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private async Task<(int Code, string Out, string Err)> RunAsync(string schema, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ProjectionsCli.RunAsync(args,
            b => DaemonHost.Configure(b, postgres.ConnectionString, schema, [new OrderSummaryProjection()]),
            output, error, interactive: false, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A read model of 20 orders (2 purged) built by a daemon that is stopped again; returns the schema and the order ids.</summary>
    private async Task<(string Schema, IReadOnlyList<Guid> Orders)> BuiltAsync()
    {
        var schema = postgres.NewSchemaName();
        using var daemon = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection()]);
        await daemon.StartAsync();
        var orders = await TestEventLog.SeedOrdersAsync(daemon.Services.GetRequiredService<IDocumentStore>(), orders: 20);
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary"), c => c >= head, TimeSpan.FromSeconds(60), "caught up");
        await daemon.StopAsync();
        return (schema, orders);
    }

    [Fact]
    public async Task help_says_what_verify_compares_its_exit_codes_and_what_to_do_on_a_difference()
    {
        var (code, output, _) = await RunAsync("unused", "verify", "--help");

        Assert.Equal(ExitCodes.Ok, code);
        foreach (var text in new[] { "fresh fold", "Exit 0 when equal, 1 when they differ", "dead-letters list", "rebuild <name>", "--show", "--json", "--page-size" })
            Assert.Contains(text, output, StringComparison.Ordinal);
        Assert.Contains("verify", (await RunAsync("unused", "--help")).Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("verify", "nope")]
    [InlineData("verify", "order_summary", "--show", "-1")]
    [InlineData("verify", "order_summary", "--page-size", "0")]
    [InlineData("verify", "order_summary", "--show", "many")]
    public async Task bad_input_exits_2_naming_what_was_wrong(params string[] args)
    {
        var (code, _, error) = await RunAsync(postgres.NewSchemaName(), args);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_equal_read_model_exits_0_with_the_counts_and_progress_on_stderr()
    {
        var (schema, _) = await BuiltAsync();

        var (code, output, progress) = await RunAsync(schema, "verify", "order_summary", "--page-size", "50");

        Assert.True(code == ExitCodes.Ok, output + progress);
        Assert.Contains("18 compared, 0 missing, 0 extra, 0 different", output, StringComparison.Ordinal);
        Assert.Contains("equal: the read model matches a fresh fold of the log", output, StringComparison.Ordinal);
        Assert.Contains("verify fold [", progress, StringComparison.Ordinal);
        Assert.Contains("verify compare [", progress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_differing_read_model_exits_1_and_names_the_document_and_field_in_text_and_json()
    {
        var (schema, orders) = await BuiltAsync();
        var key = orders[2].ToString("D");
        await using (var command = postgres.DataSource.CreateCommand(
            $"update {schema}.rm_order_summary_v1 set data = jsonb_set(data, '{{customer}}', '\"mallory\"') where key = '{key}'"))
            await command.ExecuteNonQueryAsync();

        var text = await RunAsync(schema, "verify", "order_summary");
        var json = await RunAsync(schema, "verify", "order_summary", "--json");

        Assert.Equal(ExitCodes.Failed, text.Code);
        Assert.Contains("DIFFERENT: 1 document(s) differ", text.Out, StringComparison.Ordinal);
        Assert.Contains(key, text.Out, StringComparison.Ordinal);
        Assert.Contains("mallory", text.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failed, json.Code);
        var report = JsonDocument.Parse(json.Out).RootElement;
        Assert.False(report.GetProperty("equal").GetBoolean());
        Assert.Equal(1, report.GetProperty("different").GetInt64());
        var difference = report.GetProperty("differences")[0];
        Assert.Equal(key, difference.GetProperty("key").GetString());
        Assert.Equal("customer", difference.GetProperty("field").GetString());
        Assert.Equal("\"customer-2\"", difference.GetProperty("expected").GetString());
    }
}
