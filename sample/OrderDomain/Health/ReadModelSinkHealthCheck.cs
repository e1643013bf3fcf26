using EventSourcing.Projections.Sinks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderDomain.Search;

namespace OrderDomain.Health;

/// <summary>Ready when the read-model sink answers and the order search read model is live.</summary>
public sealed class ReadModelSinkHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IReadModelSink>() is not { } sink)
            return HealthCheckResult.Healthy("no projection host in this process");
        try
        {
            var live = await sink.LiveVersionAsync(OrderSearchProjection.ReadModelName, cancellationToken);
            return live is null
                ? HealthCheckResult.Unhealthy($"the {sink.Kind} sink has no live version of {OrderSearchProjection.ReadModelName} yet")
                : HealthCheckResult.Healthy($"the {sink.Kind} sink serves {OrderSearchProjection.ReadModelName} v{live}");
        }
        catch (Exception e) when (e is SinkUnavailableException or Npgsql.NpgsqlException or HttpRequestException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"the {sink.Kind} sink does not answer: {e.Message}", e);
        }
    }
}
