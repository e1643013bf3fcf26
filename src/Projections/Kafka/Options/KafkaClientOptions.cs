using System.Text;
using Confluent.Kafka;

namespace EventSourcing.Projections.Kafka.Options;

/// <summary>
/// How to reach the Kafka cluster: the bootstrap servers, the typed SASL/SSL settings and any other
/// librdkafka setting passed through unchanged. Secrets never appear in <see cref="ToString"/>.
/// </summary>
public sealed record KafkaClientOptions
{
    public string BootstrapServers { get; init; } = "";

    public SecurityProtocol? SecurityProtocol { get; init; }

    public SaslMechanism? SaslMechanism { get; init; }

    public string? SaslUsername { get; init; }

    public string? SaslPassword { get; init; }

    public string? SslCaLocation { get; init; }

    /// <summary>Further librdkafka settings (e.g. <c>ssl.endpoint.identification.algorithm</c>), applied last.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public void Validate(string section)
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
            throw new ArgumentException($"{section}.BootstrapServers is required (e.g. 'localhost:9092').");
        var usesSasl = SecurityProtocol is Confluent.Kafka.SecurityProtocol.SaslPlaintext or Confluent.Kafka.SecurityProtocol.SaslSsl;
        if (usesSasl && SaslMechanism is null)
            throw new ArgumentException($"{section}.SaslMechanism is required when {section}.SecurityProtocol is {SecurityProtocol}.");
        if (SaslMechanism is Confluent.Kafka.SaslMechanism.Plain or Confluent.Kafka.SaslMechanism.ScramSha256 or Confluent.Kafka.SaslMechanism.ScramSha512
            && (string.IsNullOrEmpty(SaslUsername) || string.IsNullOrEmpty(SaslPassword)))
            throw new ArgumentException($"{section}.SaslUsername and {section}.SaslPassword are required with SASL mechanism {SaslMechanism}.");
    }

    internal void ApplyTo(ClientConfig config)
    {
        config.BootstrapServers = BootstrapServers;
        if (SecurityProtocol is not null) config.SecurityProtocol = SecurityProtocol;
        if (SaslMechanism is not null) config.SaslMechanism = SaslMechanism;
        if (SaslUsername is not null) config.SaslUsername = SaslUsername;
        if (SaslPassword is not null) config.SaslPassword = SaslPassword;
        if (SslCaLocation is not null) config.SslCaLocation = SslCaLocation;
        foreach (var (key, value) in Settings)
            config.Set(key, value);
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("BootstrapServers = ").Append(BootstrapServers)
            .Append(", SecurityProtocol = ").Append(SecurityProtocol)
            .Append(", SaslMechanism = ").Append(SaslMechanism)
            .Append(", SaslUsername = ").Append(SaslUsername)
            .Append(", SaslPassword = ").Append(SaslPassword is null ? "" : "***")
            .Append(", SslCaLocation = ").Append(SslCaLocation)
            .Append(", Settings = [").Append(string.Join(", ", Settings.Keys.Order(StringComparer.Ordinal).Select(k => k + (Secret(k) ? "=***" : "=" + Settings[k])))).Append(']');
        return true;
    }

    private static bool Secret(string key) =>
        key.Contains("password", StringComparison.OrdinalIgnoreCase) || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || key.Contains("key", StringComparison.OrdinalIgnoreCase) || key.Contains("jaas", StringComparison.OrdinalIgnoreCase);
}
