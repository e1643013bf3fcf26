using EventSourcing.Projections.Cli;

namespace EventSourcing.Projections;

/// <summary>
/// The bare <c>projections</c> tool knows no projections; hosts expose the CLI with their registrations
/// through <see cref="ProjectionsCli.RunAsync(string[], Action{Microsoft.Extensions.Hosting.HostApplicationBuilder}?, CancellationToken)"/>.
/// Run alone it still answers <c>--help</c>.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => ProjectionsCli.RunAsync(args, configure: null, CancellationToken.None);
}
