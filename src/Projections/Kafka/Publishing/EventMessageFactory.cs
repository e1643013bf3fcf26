using System.Globalization;
using System.Net;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Reading;
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
    private readonly EventTypeRegistry _events;
    private readonly KafkaPublisherOptions _options;
    private readonly ISchemaRegistryClient _registry;
    private readonly AvroSerializer<GenericRecord> _serializer;

    public EventMessageFactory(EventTypeRegistry events, ISchemaRegistryClient registry, KafkaPublisherOptions options)
        : this(events, EventContracts.FromRegistry(events), registry, options)
    {
    }

    public EventMessageFactory(EventTypeRegistry events, EventContracts contracts, ISchemaRegistryClient registry, KafkaPublisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(contracts);
        _events = events;
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

    /// <summary>The messages of one stored event: one, or one per part when an upcaster split it.</summary>
    public async Task<IReadOnlyList<OutgoingEvent>> CreateAsync(IEvent @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var envelopes = EventEnvelope.FromMarten(@event, _events);
        var messages = new OutgoingEvent[envelopes.Count];
        for (var i = 0; i < envelopes.Count; i++)
            messages[i] = await CreateAsync(envelopes[i], envelopes.Count > 1 ? i : null, cancellationToken).ConfigureAwait(false);
        return messages;
    }

    public async Task<OutgoingEvent> CreateAsync(EventEnvelope envelope, int? part, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        cancellationToken.ThrowIfCancellationRequested();
        var contract = _contracts.For(envelope.Data.GetType());
        var topic = TopicFor(contract);
        var headers = new Headers();
        EventHeaders.Add(headers, EventHeaders.EventId, envelope.EventId.ToString());
        EventHeaders.Add(headers, EventHeaders.EventType, contract.Name);
        EventHeaders.Add(headers, EventHeaders.SchemaVersion, contract.Version);
        EventHeaders.Add(headers, EventHeaders.GlobalSequence, envelope.GlobalSequence);
        EventHeaders.Add(headers, EventHeaders.StreamVersion, envelope.StreamVersion);
        EventHeaders.Add(headers, EventHeaders.Timestamp, envelope.Timestamp.ToString("O", CultureInfo.InvariantCulture));
        EventHeaders.Add(headers, EventHeaders.CorrelationId, envelope.CorrelationId);
        EventHeaders.Add(headers, EventHeaders.CausationId, envelope.CausationId);
        if (part is not null)
            EventHeaders.Add(headers, EventHeaders.Part, part.Value);

        var record = AvroValueWriter.ToRecord(envelope.Data, contract.Schema);
        var value = await _serializer.SerializeAsync(record, new SerializationContext(MessageComponentType.Value, topic, headers)).ConfigureAwait(false);
        var key = envelope.StreamId.ToString("D", CultureInfo.InvariantCulture);
        return new OutgoingEvent(topic, new Message<string, byte[]> { Key = key, Value = value, Headers = headers }, envelope.GlobalSequence);
    }
}
