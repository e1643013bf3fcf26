using EventSourcing.Projections.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Projections.Tests;

/// <summary>
/// <c>dotnet exec EventSourcing.Projections.Tests.dll daemon CONNECTION SCHEMA [projection-name...]</c> runs a
/// projection daemon host until it is killed: the crash-safety tests start it and kill it without warning.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 3 || args[0] != "daemon")
        {
            await Console.Error.WriteLineAsync("usage: daemon CONNECTION SCHEMA [projection-name...]");
            return 2;
        }

        var names = args.Length > 3 ? args[3..] : ["order_summary"];
        using var host = DaemonHost.Build(args[1], args[2], names.Select(n => new OrderSummaryProjection(n)));
        await host.RunAsync();
        return 0;
    }
}
