using EventSourcing.Projections.Cli;
using EventSourcing.Projections.Tests.Support;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.Projections.Tests.Cli;

/// <summary>Every malformed argument or setting exits 2 with one line naming it, and no stack trace.</summary>
public sealed class CliBadInputTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private async Task<(int Code, string Out, string Err)> RunAsync(Action<Microsoft.Extensions.Hosting.HostApplicationBuilder> configure, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ProjectionsCli.RunAsync(args, configure, output, error, interactive: false, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private Action<Microsoft.Extensions.Hosting.HostApplicationBuilder> Daemon() =>
        b => DaemonHost.Configure(b, postgres.ConnectionString, postgres.NewSchemaName(), [new OrderSummaryProjection()]);

    [Theory]
    [InlineData("--stream", "replay", "order_summary", "--from", "1", "--stream", "zzz")]
    [InlineData("--stream", "replay", "order_summary", "--from", "1", "--stream", "00000000-0000-0000-0000-000000000000")]
    [InlineData("--sequence", "dead-letters", "discard", "order_summary", "--sequence", "-1")]
    [InlineData("--sequence", "dead-letters", "retry", "order_summary", "--sequence", "0")]
    [InlineData("--from", "replay", "order_summary", "--from", "-5")]
    public async Task a_malformed_argument_exits_2_naming_it(string named, params string[] args)
    {
        var (code, output, error) = await RunAsync(Daemon(), args);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error + output, StringComparison.Ordinal);
        Assert.DoesNotContain("replayed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task settings_the_host_refuses_exit_2_with_its_message()
    {
        var (code, _, error) = await RunAsync(_ => throw new InvalidOperationException("Orders:ConnectionString is required"), "status");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("error: invalid settings: Orders:ConnectionString is required", error.Trim());
    }

    [Fact]
    public async Task help_lists_the_exit_codes()
    {
        var (code, output, _) = await RunAsync(Daemon(), "--help");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("Exit codes: 0 ok, 1 failed, 2 bad input", output, StringComparison.Ordinal);
    }
}
