using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Projections.Tests;

/// <summary>
/// <c>dotnet exec EventSourcing.Projections.Tests.dll MODE CONNECTION SCHEMA [projection-name...]</c> runs a
/// projection daemon host until it is killed: the crash-safety tests start it and kill it without warning.
/// MODE <c>daemon</c> runs Marten's HotCold daemon; <c>daemon-wolverine</c> runs the read models as Wolverine
/// agents (<see cref="ProjectionDistribution.Wolverine"/>, Balanced, with the fast node health checks of
/// <see cref="DaemonHost"/>), so several such processes on one schema share the read models.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var distribution = args.Length == 0 ? (ProjectionDistribution?)null : args[0] switch
        {
            "daemon" => ProjectionDistribution.HotCold,
            "daemon-wolverine" => ProjectionDistribution.Wolverine,
            _ => null,
        };
        if (args.Length < 3 || distribution is not { } mode)
        {
            await Console.Error.WriteLineAsync("usage: daemon|daemon-wolverine CONNECTION SCHEMA [projection-name...]");
            return 2;
        }

        var names = args.Length > 3 ? args[3..] : ["order_summary"];
        using var host = DaemonHost.Build(args[1], args[2], names.Select(n => new OrderSummaryProjection(n)),
            options: o => o with { Distribution = mode });
        await host.RunAsync();
        return 0;
    }
}
