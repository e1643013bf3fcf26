using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using EventSourcing.EventStore;
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
/// correlation and causation ids, and the actor (and client id) when the event records one.
/// </summary>
public sealed class EventMessageFactory
{
    private readonly EventContracts _contracts;
    private readonly EventTypeRegistry _events;
    private readonly KafkaPublisherOptions _options;
    private readonly ISchemaRegistryClient _registry;
    private readonly AvroSerializer<GenericRecord> _serializer;
    private readonly AvroSerializer<GenericRecord>[] _workerSerializers;
    private readonly ConcurrentDictionary<Type, ConstantHeaders> _constantHeaders = new();

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
        _serializer = NewSerializer(registry, options);
        _workerSerializers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => NewSerializer(registry, options)).ToArray();
    }

    /// <summary>The serializer's initial buffer per message: events are small, and Confluent's default (1 KiB) is mostly garbage to collect.</summary>
    private const int SerializerBufferBytes = 256;

    private static AvroSerializer<GenericRecord> NewSerializer(ISchemaRegistryClient registry, KafkaPublisherOptions options) =>
        new(registry, new AvroSerializerConfig
        {
            AutoRegisterSchemas = options.AutoRegisterSchemas,
            SubjectNameStrategy = SubjectNameStrategy.Record,
            BufferBytes = SerializerBufferBytes,
        });

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

    /// <summary>Where encoding time goes (record building and serialization, summed over the workers).</summary>
    public PublisherTimings Timings { get; } = new();

    /// <summary>The messages of one stored event: one, or one per part when an upcaster split it.</summary>
    public async Task<IReadOnlyList<OutgoingEvent>> CreateAsync(IEvent @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var drafts = new List<MessageDraft>(1);
        AddDrafts(@event, drafts);
        var messages = new OutgoingEvent[drafts.Count];
        for (var i = 0; i < drafts.Count; i++)
            messages[i] = await SerializeAsync(drafts[i], cancellationToken).ConfigureAwait(false);
        return messages;
    }

    public Task<OutgoingEvent> CreateAsync(EventEnvelope envelope, int? part, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return SerializeAsync(Draft(envelope, part), cancellationToken);
    }

    /// <summary>
    /// The messages of <paramref name="events"/> (in order), encoded chunk by chunk by up to one worker per
    /// core: task <c>i</c> completes with the messages of chunk <c>i</c>, so the caller can hand chunk 0 to
    /// the producer while later chunks are still being encoded. Chunks are taken in order, so awaiting
    /// the tasks in order never waits behind work that is not yet started.
    /// </summary>
    public IReadOnlyList<Task<OutgoingEvent[]>> EncodeInChunks(IReadOnlyList<IEvent> events, int chunkSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var count = (events.Count + chunkSize - 1) / chunkSize;
        var chunks = new TaskCompletionSource<OutgoingEvent[]>[count];
        for (var i = 0; i < count; i++)
            chunks[i] = new TaskCompletionSource<OutgoingEvent[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = -1;
        for (var worker = Math.Min(_workerSerializers.Length, count); worker > 0; worker--)
        {
            var w = worker - 1;
            // Not cancelled through Task.Run: a worker must always run so that every chunk's task completes.
            _ = Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
                {
                    try
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        chunks[i].TrySetResult(await EncodeChunkAsync(w, events, i * chunkSize, Math.Min(events.Count, (i + 1) * chunkSize), cancellationToken)
                            .ConfigureAwait(false));
                    }
                    catch (OperationCanceledException e)
                    {
                        chunks[i].TrySetCanceled(e.CancellationToken);
                    }
                    catch (Exception e)
                    {
                        chunks[i].TrySetException(e);
                    }
                }
            }, CancellationToken.None);
        }

        return chunks.Select(c => c.Task).ToArray();
    }

    private async Task<OutgoingEvent[]> EncodeChunkAsync(int worker, IReadOnlyList<IEvent> events, int from, int to, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var drafts = new List<MessageDraft>(to - from);
        for (var i = from; i < to; i++)
            AddDrafts(events[i], drafts);
        var built = Stopwatch.GetTimestamp();
        Timings.AddBuild(built - started);

        // Every call is started before the first is awaited, on the inline scheduler: Confluent's serializer
        // finishes each one in a continuation queued to the current scheduler, which there runs at once
        // instead of hopping through the thread pool. A call that must ask the registry completes later.
        var values = new Task<byte[]>[drafts.Count];
        var serializer = _workerSerializers[worker];
        InlineTaskScheduler.Run(() =>
        {
            for (var i = 0; i < drafts.Count; i++)
                values[i] = serializer.SerializeAsync(drafts[i].Record, drafts[i].Context);
        });
        var messages = new OutgoingEvent[drafts.Count];
        for (var i = 0; i < drafts.Count; i++)
            messages[i] = drafts[i].ToMessage(await values[i].ConfigureAwait(false));
        Timings.AddSerialize(Stopwatch.GetTimestamp() - built);
        return messages;
    }

    private async Task<OutgoingEvent> SerializeAsync(MessageDraft draft, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Task<byte[]> value = null!;
        InlineTaskScheduler.Run(() => value = _serializer.SerializeAsync(draft.Record, draft.Context));
        return draft.ToMessage(await value.ConfigureAwait(false));
    }

    private void AddDrafts(IEvent @event, List<MessageDraft> drafts)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var envelopes = EventEnvelope.FromMarten(@event, _events);
        for (var i = 0; i < envelopes.Count; i++)
            drafts.Add(Draft(envelopes[i], envelopes.Count > 1 ? i : null));
    }

    private MessageDraft Draft(EventEnvelope envelope, int? part)
    {
        var type = envelope.Data.GetType();
        var contract = _contracts.For(type);
        PublishedVersion.Check(envelope, contract, _events);
        var constant = _constantHeaders.GetOrAdd(type, static (_, c) => new ConstantHeaders(c.Factory.TopicFor(c.Contract),
            Encoding.UTF8.GetBytes(c.Contract.Name), Encoding.UTF8.GetBytes(c.Contract.Version.ToString(CultureInfo.InvariantCulture))), (Factory: this, Contract: contract));
        var topic = constant.Topic;
        var headers = new Headers();
        EventHeaders.Add(headers, EventHeaders.EventId, envelope.EventId.ToString());
        headers.Add(EventHeaders.EventType, constant.EventType);
        headers.Add(EventHeaders.SchemaVersion, constant.SchemaVersion);
        EventHeaders.Add(headers, EventHeaders.GlobalSequence, envelope.GlobalSequence);
        EventHeaders.Add(headers, EventHeaders.StreamVersion, envelope.StreamVersion);
        EventHeaders.Add(headers, EventHeaders.Timestamp, envelope.Timestamp.ToString("O", CultureInfo.InvariantCulture));
        EventHeaders.Add(headers, EventHeaders.CorrelationId, envelope.CorrelationId);
        EventHeaders.Add(headers, EventHeaders.CausationId, envelope.CausationId);
        if (envelope.Headers.Count > 0)
        {
            EventHeaders.Add(headers, EventHeaders.Actor, ActorHeaders.Read(envelope.Headers, ActorHeaders.Actor));
            EventHeaders.Add(headers, EventHeaders.ClientId, ActorHeaders.Read(envelope.Headers, ActorHeaders.ClientId));
        }

        if (part is not null)
            EventHeaders.Add(headers, EventHeaders.Part, part.Value);

        var record = AvroValueWriter.ToRecord(envelope.Data, contract.Schema);
        var key = envelope.StreamId.ToString("D", CultureInfo.InvariantCulture);
        return new MessageDraft(topic, key, headers, record, new SerializationContext(MessageComponentType.Value, topic, headers), envelope.GlobalSequence);
    }

    /// <summary>What every message of one event type shares (header values are copied by librdkafka, so one array serves all).</summary>
    private sealed record ConstantHeaders(string Topic, byte[] EventType, byte[] SchemaVersion);

    /// <summary>An event's message before its value is serialized.</summary>
    private readonly record struct MessageDraft(string Topic, string Key, Headers Headers, GenericRecord Record, SerializationContext Context, long Sequence)
    {
        public OutgoingEvent ToMessage(byte[] value) =>
            new(Topic, new Message<string, byte[]> { Key = Key, Value = value, Headers = Headers }, Sequence);
    }
}
