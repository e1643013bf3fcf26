using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Observability;

namespace EventSourcing.Projections.Daemon;

/// <summary>
/// Retries sink calls with exponential backoff and jitter. After <see cref="ProjectionsOptions.FailuresBeforeCircuitOpens"/>
/// consecutive failures the circuit opens: the projection reports itself paused and keeps probing at the
/// maximum delay, without advancing its checkpoint, until the sink answers again, then closes by itself.
/// </summary>
internal sealed class SinkResilience
{
    private readonly ProjectionsOptions _options;
    private readonly ProjectionHealth _health;

    public SinkResilience(ProjectionsOptions options, ProjectionHealth health)
    {
        _options = options;
        _health = health;
    }

    public async Task<T> ExecuteAsync<T>(string projection, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await call(cancellationToken).ConfigureAwait(false);
                _health.CircuitClosed(projection);
                return result;
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                ProjectionTelemetry.Retries.Add(1, ProjectionTelemetry.Tags(projection));
                if (attempt >= _options.FailuresBeforeCircuitOpens)
                    _health.CircuitOpened(projection, e);
                await Task.Delay(Delay(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public TimeSpan Delay(int attempt)
    {
        var exponential = _options.RetryInitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = Math.Min(exponential, _options.RetryMaxDelay.TotalMilliseconds);
#pragma warning disable CA5394 // jitter, not security
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
#pragma warning restore CA5394
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        !(e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        && e is not ArgumentException and not InvalidOperationException and not NotSupportedException
           and not System.Text.Json.JsonException and not Definitions.ProjectionException;
}
