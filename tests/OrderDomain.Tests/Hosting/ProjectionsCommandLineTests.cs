using EventSourcing.Projections.Cli;
using Microsoft.Extensions.Hosting;
using OrderDomain.Hosting;

namespace EventSourcing.OrderDomain.Tests.Hosting;

/// <summary><c>OrderDomain projections ...</c> with settings the sample refuses: exit 2 naming the setting.</summary>
public sealed class ProjectionsCommandLineTests
{
    [Theory]
    [InlineData("", "orders", "Orders:ConnectionString is required")]
    [InlineData("Host=127.0.0.1", "Bad-Schema", "Orders:EventSchema 'Bad-Schema' must be a lower-case PostgreSQL identifier")]
    public async Task status_with_a_bad_setting_exits_2_naming_it(string connection, string schema, string expected)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ProjectionsCli.RunAsync(["status"], builder =>
        {
            builder.Configuration["POSTGRES_CONNECTION"] = "";
            builder.Configuration["Orders:ConnectionString"] = connection;
            builder.Configuration["Orders:EventSchema"] = schema;
            OrderProgram.ConfigureProjections(builder);
        }, output, error, interactive: false, CancellationToken.None);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }
}
