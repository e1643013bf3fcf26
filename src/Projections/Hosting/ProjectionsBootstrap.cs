using EventSourcing.Projections.Daemon;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Projections.Hosting;

/// <summary>
/// At host start: checks that the host's daemon matches <see cref="ProjectionsOptions.Distribution"/>, creates
/// the daemon's tables and, for a read model never built, creates and swaps in its first version.
/// </summary>
internal sealed class ProjectionsBootstrap(ProjectionRuntime runtime, ProjectionCatalog catalog, DistributionCheck distribution) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        distribution.Verify();
        await runtime.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        foreach (var projection in catalog.All)
            await runtime.LiveVersionAsync(projection, cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
