using Confluent.Kafka;

namespace EventSourcing.Projections.Kafka.Options;

/// <summary>The options of a Kafka-sourced projection runner, validated at startup.</summary>
public sealed record KafkaConsumerOptions
{
    public KafkaClientOptions Kafka { get; init; } = new();

    public SchemaRegistryOptions SchemaRegistry { get; init; } = new();

    /// <summary>The consumer group: one group per projection; instances of it share the partitions.</summary>
    public string GroupId { get; init; } = "";

    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>Most messages handed to the handler at once.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>How long a batch waits to fill before it is handled anyway.</summary>
    public TimeSpan MaxBatchWait { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Pause before a batch whose handler failed is delivered again.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public AutoOffsetReset AutoOffsetReset { get; init; } = AutoOffsetReset.Earliest;

    public KafkaConsumerOptions Validate()
    {
        Kafka.Validate("KafkaConsumer.Kafka");
        SchemaRegistry.Validate("KafkaConsumer.SchemaRegistry");
        if (string.IsNullOrWhiteSpace(GroupId))
            throw new ArgumentException("KafkaConsumer.GroupId is required: name the consumer group of this projection.");
        if (Topics.Count == 0 || Topics.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("KafkaConsumer.Topics needs at least one topic, none empty (e.g. 'order-events').");
        if (BatchSize is < 1 or > 100_000)
            throw new ArgumentException($"KafkaConsumer.BatchSize must be between 1 and 100000 (got {BatchSize}).");
        if (MaxBatchWait <= TimeSpan.Zero)
            throw new ArgumentException($"KafkaConsumer.MaxBatchWait must be positive (got {MaxBatchWait}).");
        if (RetryBackoff < TimeSpan.Zero)
            throw new ArgumentException($"KafkaConsumer.RetryBackoff must not be negative (got {RetryBackoff}).");
        return this;
    }

    public ConsumerConfig CreateConfig()
    {
        var config = new ConsumerConfig
        {
            GroupId = GroupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        Kafka.ApplyTo(config);
        return config;
    }
}
