using System.Buffers.Binary;
using System.Collections.Concurrent;
using Avro.Generic;
using Avro.IO;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using EventSourcing.Projections.Kafka.AvroMapping;
using EventSourcing.Projections.Kafka.Contracts;

namespace EventSourcing.Projections.Kafka.Consuming;

/// <summary>
/// Decodes a published message: the schema id from the Confluent wire framing gives the writer
/// schema (from the registry), which Avro resolves to the consumer's reader schema (its own event
/// contract), so fields added later with defaults are filled in and removed ones are skipped.
/// </summary>
public sealed class AvroEventDecoder(ISchemaRegistryClient registry, EventContracts contracts)
{
    private readonly ConcurrentDictionary<int, Task<Avro.Schema>> _writers = new();
    private readonly ConcurrentDictionary<(int, Type), DatumReader<GenericRecord>> _readers = new();

    public async Task<KafkaEvent> DecodeAsync(ConsumeResult<string, byte[]> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        var headers = message.Message.Headers;
        var eventType = EventHeaders.Require(headers, EventHeaders.EventType);
        if (!contracts.TryGetByName(eventType, out var contract))
            throw new InvalidDataException(
                $"The message at {message.TopicPartitionOffset} holds the event type '{eventType}', which this consumer has no contract for.");

        var value = message.Message.Value;
        if (value is null || value.Length < 5 || value[0] != 0)
            throw new InvalidDataException($"The message at {message.TopicPartitionOffset} is not Confluent-framed Avro (magic byte 0 and a schema id).");
        var schemaId = BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1, 4));
        var writer = await _writers.GetOrAdd(schemaId, id => FetchWriterAsync(id)).ConfigureAwait(false);
        var reader = _readers.GetOrAdd((schemaId, contract.EventType), _ => new GenericDatumReader<GenericRecord>(writer, contract.Schema));

        GenericRecord record;
        using (var stream = new MemoryStream(value, 5, value.Length - 5, writable: false))
            record = reader.Read(reuse: null!, new BinaryDecoder(stream));

        return new KafkaEvent(
            eventType,
            (int)EventHeaders.RequireLong(headers, EventHeaders.SchemaVersion),
            Guid.Parse(EventHeaders.Require(headers, EventHeaders.EventId)),
            EventHeaders.RequireLong(headers, EventHeaders.GlobalSequence),
            EventHeaders.RequireLong(headers, EventHeaders.StreamVersion),
            message.Message.Key,
            AvroValueReader.FromRecord(record, contract.EventType),
            EventHeaders.Read(headers, EventHeaders.CorrelationId),
            EventHeaders.Read(headers, EventHeaders.CausationId),
            EventHeaders.Read(headers, EventHeaders.Timestamp) is { } at
                ? DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind)
                : DateTimeOffset.FromUnixTimeMilliseconds(message.Message.Timestamp.UnixTimestampMs),
            EventHeaders.Read(headers, EventHeaders.Part) is null ? 0 : (int)EventHeaders.RequireLong(headers, EventHeaders.Part),
            message.TopicPartitionOffset);
    }

    private async Task<Avro.Schema> FetchWriterAsync(int id)
    {
        var schema = await registry.GetSchemaAsync(id).ConfigureAwait(false);
        return Avro.Schema.Parse(schema.SchemaString);
    }
}
