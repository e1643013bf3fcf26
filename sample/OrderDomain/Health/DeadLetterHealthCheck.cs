using System.Globalization;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderDomain.Health;

/// <summary>
/// Degraded while any projection holds dead letters: events the read models could not apply (for instance an
/// order written before the validation limits whose total overflows). The events stay in the log; the
/// affected orders are missing from search until an operator repairs them (docs/security.md).
/// </summary>
public sealed class DeadLetterHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<ProjectionCatalog>() is not { } catalog || services.GetService<ProjectionRuntime>() is not { } runtime)
            return HealthCheckResult.Healthy("no projection host in this process");

        var counts = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var projection in catalog.All)
        {
            var count = await runtime.Store.CountDeadLettersAsync(projection.Name, cancellationToken);
            if (count > 0)
                counts[projection.Name] = count;
        }

        return counts.Count == 0
            ? HealthCheckResult.Healthy("no dead letters")
            : HealthCheckResult.Degraded(
                string.Join("; ", counts.Select(c => $"{c.Key} has {Convert.ToString(c.Value, CultureInfo.InvariantCulture)} dead letter(s)"))
                + "; list them with 'projections dead-letters list'", data: counts);
    }
}
