using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace EventSourcing.Projections.Kafka;

/// <summary>The Kafka headers every published event carries (UTF-8 text values).</summary>
public static class EventHeaders
{
    public const string EventId = "event-id";
    public const string EventType = "event-type";
    public const string SchemaVersion = "schema-version";
    public const string GlobalSequence = "global-sequence";
    public const string StreamVersion = "stream-version";
    public const string CorrelationId = "correlation-id";
    public const string CausationId = "causation-id";
    public const string Timestamp = "event-timestamp";

    /// <summary>Who caused the event: the stored <see cref="EventSourcing.EventStore.ActorHeaders"/>, when recorded.</summary>
    public const string Actor = "actor";
    public const string ClientId = "client-id";

    /// <summary>Only on events an upcaster split from one stored event: the part's index (0, 1, ...); they share id and sequence.</summary>
    public const string Part = "event-part";

    public static void Add(Headers headers, string key, string? value)
    {
        if (value is not null)
            headers.Add(key, Encoding.UTF8.GetBytes(value));
    }

    public static void Add(Headers headers, string key, long value) =>
        headers.Add(key, Encoding.UTF8.GetBytes(value.ToString(CultureInfo.InvariantCulture)));

    public static string? Read(Headers? headers, string key) =>
        headers is not null && headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    public static string Require(Headers? headers, string key) =>
        Read(headers, key) ?? throw new InvalidDataException($"The Kafka message has no '{key}' header; it was not written by the event publisher.");

    public static long RequireLong(Headers? headers, string key)
    {
        var text = Require(headers, key);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"The Kafka header '{key}' holds '{text}', which is not a whole number.");
    }
}
