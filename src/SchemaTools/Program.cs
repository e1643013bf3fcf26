using EventSourcing.SchemaTools.Cli;

namespace EventSourcing.SchemaTools;

public static class Program
{
    public static Task<int> Main(string[] args) => SchemaToolsCli.InvokeAsync(args, CliContext.Console, CancellationToken.None);
}
