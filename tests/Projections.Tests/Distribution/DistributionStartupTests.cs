using System.Text.Json;
using EventSourcing.Projections.Cli;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;
using JasperFx;
using JasperFx.CodeGeneration;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;
using Wolverine.Marten;

namespace EventSourcing.Projections.Tests.Distribution;

/// <summary>The distribution is a typed option checked when the host starts; the CLI works against a Wolverine host.</summary>
public sealed class DistributionStartupTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Fact]
    public void an_undefined_distribution_is_rejected_naming_the_setting_and_the_value()
    {
        var options = new ProjectionsOptions { ConnectionString = "Host=db", Distribution = (ProjectionDistribution)7 };

        var error = Assert.Throws<InvalidOperationException>(() => options.Validate());

        Assert.Contains("ProjectionsOptions.Distribution must be one of HotCold, Wolverine, got 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void hot_cold_is_the_default()
    {
        Assert.Equal(ProjectionDistribution.HotCold, new ProjectionsOptions().Distribution);
    }

    [Fact]
    public async Task a_hot_cold_host_without_marten_daemon_fails_at_start_instead_of_never_projecting()
    {
        var builder = Builder(wolverine: false);
        builder.Services.AddMarten(Marten);
        builder.Services.AddProjections(p => p.Add(new OrderSummaryProjection()).Options = Options(ProjectionDistribution.HotCold));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("ProjectionsOptions.Distribution is HotCold but Marten's async daemon is Disabled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_wolverine_distribution_on_a_host_without_wolverine_fails_at_start_naming_use_wolverine()
    {
        var builder = Builder(wolverine: false);
        builder.Services.AddMarten(Marten).AddProjections(p => p.Add(new OrderSummaryProjection()).Options = Options(ProjectionDistribution.Wolverine));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("ProjectionsOptions.Distribution is Wolverine but the host has no Wolverine runtime: call builder.UseWolverine(...)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task hot_cold_selected_while_wolverine_manages_the_subscriptions_fails_at_start()
    {
        var builder = Builder(wolverine: true);
        builder.Services.AddMarten(Marten).IntegrateWithWolverine(w => w.UseWolverineManagedEventSubscriptionDistribution = true);
        builder.Services.AddProjections(p => p.Add(new OrderSummaryProjection()).Options = Options(ProjectionDistribution.HotCold));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("ProjectionsOptions.Distribution is HotCold but Wolverine manages Marten's subscriptions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_cli_lists_reports_rebuilds_and_pauses_read_models_run_by_a_wolverine_host()
    {
        var schema = postgres.NewSchemaName();
        Func<ProjectionsOptions, ProjectionsOptions> wolverine = o => o with { Distribution = ProjectionDistribution.Wolverine };
        using var daemon = DaemonHost.Build(postgres.ConnectionString, schema, [new OrderSummaryProjection()], options: wolverine);
        await daemon.StartAsync();
        await TestEventLog.SeedOrdersAsync(daemon.Services.GetRequiredService<IDocumentStore>(), orders: 20);
        var head = await TestEventLog.HighestSequenceAsync(postgres.DataSource, schema);
        await Eventually.Until(() => TestEventLog.CheckpointAsync(postgres.DataSource, schema, "order_summary"), c => c >= head, Timeout, "caught up");

        var list = await RunCliAsync(schema, wolverine, "list");
        var status = await RunCliAsync(schema, wolverine, "status", "--json");
        var rebuild = await RunCliAsync(schema, wolverine, "rebuild", "order_summary", "--wait", "--json");
        var pause = await RunCliAsync(schema, wolverine, "pause", "order_summary");
        var paused = await RunCliAsync(schema, wolverine, "status", "order_summary", "--json");
        var resume = await RunCliAsync(schema, wolverine, "resume", "order_summary");
        await daemon.StopAsync();

        Assert.Equal((ExitCodes.Ok, ""), (list.Code, list.Err));
        Assert.Contains("order_summary", list.Out, StringComparison.Ordinal);
        Assert.Equal((ExitCodes.Ok, ""), (status.Code, status.Err));
        var row = JsonDocument.Parse(status.Out).RootElement[0];
        Assert.Equal("order_summary", row.GetProperty("name").GetString());
        Assert.Equal("running", row.GetProperty("state").GetString());
        Assert.Equal(head, row.GetProperty("checkpoint").GetInt64());
        Assert.Equal(0, row.GetProperty("lagEvents").GetInt64());
        // the rebuild's swap is done by the read model's agent, wherever Wolverine placed it
        Assert.True(rebuild.Code == ExitCodes.Ok, rebuild.Err);
        Assert.Equal(2, JsonDocument.Parse(rebuild.Out).RootElement[0].GetProperty("version").GetInt32());
        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (pause.Code, resume.Code));
        var pausedRow = JsonDocument.Parse(paused.Out).RootElement[0];
        Assert.Equal("paused", pausedRow.GetProperty("state").GetString());
        Assert.Equal(2, pausedRow.GetProperty("liveVersion").GetInt32());
    }

    private async Task<(int Code, string Out, string Err)> RunCliAsync(string schema, Func<ProjectionsOptions, ProjectionsOptions> options, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ProjectionsCli.RunAsync(args,
            b => DaemonHost.Configure(b, postgres.ConnectionString, schema, [new OrderSummaryProjection()], options: options),
            output, error, interactive: false, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private ProjectionsOptions Options(ProjectionDistribution distribution) =>
        new() { ConnectionString = postgres.ConnectionString, Schema = postgres.SchemaName, Distribution = distribution };

    private HostApplicationBuilder Builder(bool wolverine)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (wolverine)
        {
            builder.UseWolverine(w =>
            {
                w.ApplicationAssembly = typeof(DistributionStartupTests).Assembly;
                w.Discovery.DisableConventionalDiscovery();
                w.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
            });
        }

        return builder;
    }

    private void Marten(StoreOptions marten)
    {
        marten.Connection(postgres.ConnectionString);
        marten.DatabaseSchemaName = postgres.SchemaName;
        marten.AutoCreateSchemaObjects = AutoCreate.All;
    }
}
