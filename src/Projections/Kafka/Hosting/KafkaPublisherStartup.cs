using EventSourcing.Projections.Kafka.Publishing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventSourcing.Projections.Kafka.Hosting;

/// <summary>
/// Runs before Marten's daemon starts: the host refuses to start when, with auto-registration off, an
/// event's schema is missing from the registry (the message names the subject).
/// </summary>
internal sealed class KafkaPublisherStartup(EventMessageFactory messages, Options.KafkaPublisherOptions options, ILogger<KafkaPublisherStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await messages.VerifySchemasAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Kafka publisher {Name} ready: {Options}", options.SubscriptionName, options);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
