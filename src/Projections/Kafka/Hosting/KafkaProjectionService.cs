using EventSourcing.Projections.Kafka.Consuming;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Projections.Kafka.Hosting;

/// <summary>Runs one Kafka-sourced projection for the life of the host.</summary>
public sealed class KafkaProjectionService(KafkaProjectionRunner runner) : BackgroundService
{
    public KafkaProjectionRunner Runner { get; } = runner;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Runner.RunAsync(stoppingToken);
}
