using EventSourcing.SchemaTools.Cli;

namespace EventSourcing.SchemaTools.Tests.Cli;

/// <summary>A file that is not an assembly is bad input: exit 2, one line naming the file, no stack trace.</summary>
public sealed class BadInputExitCodeTests
{
    [Theory]
    [InlineData("check")]
    [InlineData("generate")]
    public async Task a_file_that_is_not_an_assembly_exits_2_naming_it(string command)
    {
        using var directory = new TempDirectory();
        var notAnAssembly = directory.File("hostname", "build-7\n");

        var run = await CliRun.Invoke([command, "--assembly", notAnAssembly, "--catalog", directory.Path]);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"--assembly {notAnAssembly} is not a .NET assembly", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error + run.Output, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task help_lists_the_exit_codes()
    {
        var run = await CliRun.Invoke(["--help"]);
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("0 ok/compatible, 1 incompatible, 2 bad input", run.Output, StringComparison.Ordinal);
    }
}
