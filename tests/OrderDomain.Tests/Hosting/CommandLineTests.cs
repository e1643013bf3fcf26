using OrderDomain.Demo;
using OrderDomain.Hosting;
using OrderDomain.Load;

namespace EventSourcing.OrderDomain.Tests.Hosting;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("bogus")]
    [InlineData("demo", "--orders", "0")]
    [InlineData("demo", "--orders", "many")]
    [InlineData("load", "--clients")]
    [InlineData("load", "--serve")]
    [InlineData("demo", "--urls", "ftp://example")]
    public async Task bad_arguments_exit_with_2_before_anything_starts(params string[] args) =>
        Assert.Equal(2, await OrderProgram.RunAsync(args, CancellationToken.None));

    [Fact]
    public void a_bad_argument_is_named_in_the_message()
    {
        var error = Assert.Throws<UsageException>(() => DemoArguments.Parse(["--orders", "-5"], 300, 8, allowServe: true));
        Assert.Contains("--orders must be a number from 1 to 1000000, got '-5'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void defaults_and_overrides_are_parsed()
    {
        var options = DemoArguments.Parse(["--serve", "--orders", "50", "--clients", "4", "--urls", "http://127.0.0.1:5999"], 300, 8, allowServe: true);
        Assert.Equal(new DemoArguments(true, 50, 4, new Uri("http://127.0.0.1:5999")), options);
        Assert.Equal(new DemoArguments(false, 300, 8, new Uri("http://127.0.0.1:5080")), DemoArguments.Parse([], 300, 8, allowServe: true));
    }

    [Fact]
    public void percentiles_pick_the_nearest_rank()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(5, LoadCommand.Percentile(sorted, 0.50));
        Assert.Equal(10, LoadCommand.Percentile(sorted, 0.99));
        Assert.True(double.IsNaN(LoadCommand.Percentile([], 0.5)));
    }

    [Theory]
    [InlineData("", "Orders:ConnectionString is required")]
    public void a_missing_setting_is_named(string connection, string expected)
    {
        var error = Assert.Throws<InvalidSettingException>(() => new OrderServiceOptions { ConnectionString = connection }.Validate());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        var schema = Assert.Throws<InvalidSettingException>(() => new OrderServiceOptions { ConnectionString = "Host=x", EventSchema = "Bad-Schema" }.Validate());
        Assert.Contains("Orders:EventSchema 'Bad-Schema'", schema.Message, StringComparison.Ordinal);
    }
}
