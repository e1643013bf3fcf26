using System.Globalization;
using System.Net;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using EventSourcing.Projections.Kafka.AvroMapping;
using EventSourcing.Projections.Kafka.Contracts;
using EventSourcing.Projections.Kafka.Options;
using JasperFx.Events;

namespace EventSourcing.Projections.Kafka.Publishing;

/// <summary>
/// Turns committed events into Kafka messages: topic per aggregate, key = stream id, value = the
/// event's Avro record serialized by Confluent's <see cref="AvroSerializer{T}"/> (magic byte, schema
/// id, Avro binary), headers = event id, type name, schema version, global sequence, stream version,
/// correlation and causation ids.
/// </summary>
public sealed class EventMessageFactory
{
    private readonly EventContracts _contracts;
    private readonly KafkaPublisherOptions _options;
    private readonly ISchemaRegistryClient _registry;
    private readonly AvroSerializer<GenericRecord> _serializer;

    public EventMessageFactory(EventContracts contracts, ISchemaRegistryClient registry, KafkaPublisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        _contracts = contracts;
        _registry = registry;
        _options = options.Validate();
        _serializer = new AvroSerializer<GenericRecord>(registry, new AvroSerializerConfig
        {
            AutoRegisterSchemas = options.AutoRegisterSchemas,
            SubjectNameStrategy = SubjectNameStrategy.Record,
        });
    }

    public string TopicFor(EventContract contract) => _options.TopicFor(contract.Aggregate);

    /// <summary>
    /// The startup check: unless auto-registration is on, every contract's exact schema must already
    /// be registered under its subject. Throws naming the first subject that is missing or lacks it.
    /// </summary>
    public async Task VerifySchemasAsync(CancellationToken cancellationToken)
    {
        if (_options.AutoRegisterSchemas)
            return;
        foreach (var contract in _contracts.All.OrderBy(c => c.Subject, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await _registry.LookupSchemaAsync(contract.Subject, new Schema(contract.Schema.ToString(), SchemaType.Avro), ignoreDeletedSchemas: true)
                    .ConfigureAwait(false);
            }
            catch (SchemaRegistryException e) when (e.Status == HttpStatusCode.NotFound)
            {
                var what = e.ErrorCode == 40401
                    ? $"the subject '{contract.Subject}' is not registered"
                    : $"the subject '{contract.Subject}' has no version equal to the current schema of {contract.Name} v{contract.Version}";
                throw new InvalidOperationException(
                    $"The Kafka publisher cannot start: {what} in the schema registry, and AutoRegisterSchemas is off. " +
                    "Register the catalog's schemas first (schema-tools register --registry URL).", e);
            }
        }
    }

    public async Task<OutgoingEvent> CreateAsync(IEvent @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        cancellationToken.ThrowIfCancellationRequested();
        var contract = _contracts.For(@event.Data.GetType());
        var topic = TopicFor(contract);
        var headers = new Headers();
        EventHeaders.Add(headers, EventHeaders.EventId, @event.Id.ToString());
        EventHeaders.Add(headers, EventHeaders.EventType, contract.Name);
        EventHeaders.Add(headers, EventHeaders.SchemaVersion, contract.Version);
        EventHeaders.Add(headers, EventHeaders.GlobalSequence, @event.Sequence);
        EventHeaders.Add(headers, EventHeaders.StreamVersion, @event.Version);
        EventHeaders.Add(headers, EventHeaders.CorrelationId, @event.CorrelationId);
        EventHeaders.Add(headers, EventHeaders.CausationId, @event.CausationId);

        var record = AvroValueWriter.ToRecord(@event.Data, contract.Schema);
        var value = await _serializer.SerializeAsync(record, new SerializationContext(MessageComponentType.Value, topic, headers)).ConfigureAwait(false);
        var key = @event.StreamKey ?? @event.StreamId.ToString("D", CultureInfo.InvariantCulture);
        return new OutgoingEvent(topic, new Message<string, byte[]> { Key = key, Value = value, Headers = headers }, @event.Sequence);
    }
}
