using System.Text.RegularExpressions;
using Confluent.Kafka;

namespace EventSourcing.TestInfrastructure;

/// <summary>
/// A Kafka cluster for tests on librdkafka's built-in mock cluster: the real Kafka protocol spoken
/// by the real Confluent.Kafka clients. A producer created with <c>test.mock.num.brokers</c> owns the
/// cluster and logs its bootstrap address; every client of the test connects to
/// <see cref="BootstrapServers"/>. The cluster lives as long as the fixture.
/// </summary>
public sealed partial class KafkaFixture : IAsyncLifetime
{
    private IProducer<byte[], byte[]>? _owner;


    public async Task InitializeAsync()
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = new ProducerConfig { BootstrapServers = "127.0.0.1:1" };
        config.Set("test.mock.num.brokers", Brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _owner = new ProducerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, message) =>
            {
                var match = BootstrapLine().Match(message.Message);
                if (message.Facility == "MOCK" && match.Success)
                    found.TrySetResult(match.Groups["servers"].Value.Trim());
            })
            .Build();

        // The log line is written while the client starts; wait for it with a deadline.
        try
        {
            BootstrapServers = await found.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException("librdkafka's mock cluster did not log its bootstrap address within 30 s.", e);
        }
    }

    /// <summary>The mock cluster's bootstrap address, e.g. <c>127.0.0.1:41235,127.0.0.1:39115</c>.</summary>
    public string BootstrapServers { get; private set; } = "";

    /// <summary>Number of mock brokers (3 by default); set it before the fixture initializes.</summary>
    public int Brokers { get; init; } = 3;

    /// <summary>
    /// Topics are created on first use: the mock cluster auto-creates a topic with
    /// <see cref="AutoCreatedPartitions"/> partitions when a client produces to it or asks for its
    /// metadata (its admin CreateTopics call does not answer, so there is no create method here).
    /// </summary>
    public const int AutoCreatedPartitions = 4;

    public Task DisposeAsync()
    {
        _owner?.Dispose();
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"replaced with (?<servers>[0-9.:,]+)")]
    private static partial Regex BootstrapLine();
}
