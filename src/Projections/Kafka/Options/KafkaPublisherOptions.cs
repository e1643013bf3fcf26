namespace EventSourcing.Projections.Kafka.Options;

/// <summary>The publisher's options, validated when the host starts (<see cref="Validate"/>).</summary>
public sealed record KafkaPublisherOptions
{
    public KafkaClientOptions Kafka { get; init; } = new();

    public SchemaRegistryOptions SchemaRegistry { get; init; } = new();

    /// <summary>
    /// False in production: the publisher only looks schemas up (SchemaTools registers them in CI) and
    /// refuses to start when one is missing. True only for development and tests.
    /// </summary>
    public bool AutoRegisterSchemas { get; init; }

    /// <summary>The subscription's name in Marten's daemon; its checkpoint is stored under it.</summary>
    public string SubscriptionName { get; init; } = "KafkaPublisher";

    /// <summary>The topic of each aggregate: the event name's first segment plus this suffix (<c>order</c> -> <c>order-events</c>).</summary>
    public string TopicSuffix { get; init; } = "-events";

    /// <summary>Explicit topics by aggregate name, overriding the convention.</summary>
    public IReadOnlyDictionary<string, string> Topics { get; init; } = new Dictionary<string, string>();

    /// <summary>Events per page handed to the publisher by the daemon.</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>How often a page whose delivery failed is sent again before the subscription stops with the error.</summary>
    public int MaxDeliveryAttempts { get; init; } = 5;

    /// <summary>The pause before a page's failed deliveries are produced again, times the attempt number (at most 30 s).</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>librdkafka's <c>message.timeout.ms</c>: how long the producer retries one message.</summary>
    public TimeSpan DeliveryTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(5);

    public string TopicFor(string aggregate) =>
        Topics.TryGetValue(aggregate, out var topic) ? topic : aggregate + TopicSuffix;

    public KafkaPublisherOptions Validate()
    {
        Kafka.Validate("KafkaPublisher.Kafka");
        SchemaRegistry.Validate("KafkaPublisher.SchemaRegistry");
        if (string.IsNullOrWhiteSpace(SubscriptionName))
            throw new ArgumentException("KafkaPublisher.SubscriptionName is required.");
        if (BatchSize is < 1 or > 100_000)
            throw new ArgumentException($"KafkaPublisher.BatchSize must be between 1 and 100000 (got {BatchSize}).");
        if (MaxDeliveryAttempts < 1)
            throw new ArgumentException($"KafkaPublisher.MaxDeliveryAttempts must be at least 1 (got {MaxDeliveryAttempts}).");
        if (RetryBackoff < TimeSpan.Zero)
            throw new ArgumentException($"KafkaPublisher.RetryBackoff must not be negative (got {RetryBackoff}).");
        if (DeliveryTimeout < TimeSpan.FromSeconds(1))
            throw new ArgumentException($"KafkaPublisher.DeliveryTimeout must be at least 1 s (got {DeliveryTimeout}).");
        if (Linger < TimeSpan.Zero)
            throw new ArgumentException($"KafkaPublisher.Linger must not be negative (got {Linger}).");
        var badTopic = Topics.FirstOrDefault(t => string.IsNullOrWhiteSpace(t.Value));
        if (badTopic.Key is not null)
            throw new ArgumentException($"KafkaPublisher.Topics['{badTopic.Key}'] is empty.");
        return this;
    }
}
