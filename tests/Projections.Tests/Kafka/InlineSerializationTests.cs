using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using EventSourcing.Projections.Kafka.AvroMapping;
using EventSourcing.Projections.Kafka.Publishing;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.Projections.Tests.Kafka;

/// <summary>
/// The publisher runs Confluent's serializer on <see cref="InlineTaskScheduler"/> so that a value whose
/// schema id is cached is finished on the calling thread instead of on a thread-pool continuation.
/// </summary>
public sealed class InlineSerializationTests(PostgresFixture postgres, KafkaFixture kafka)
    : KafkaTestBase(postgres, kafka), IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task a_continuation_queued_to_the_current_scheduler_runs_at_once_on_the_calling_thread()
    {
        var caller = Environment.CurrentManagedThreadId;
        Task<int> continuation = null!;

        InlineTaskScheduler.Run(() => continuation = Task.CompletedTask.ContinueWith(_ => Environment.CurrentManagedThreadId, TaskScheduler.Current));

        Assert.True(continuation.IsCompletedSuccessfully);
        Assert.Equal(caller, await continuation);
    }

    [Fact]
    public void an_exception_of_the_work_reaches_the_caller_unwrapped()
    {
        var error = Assert.Throws<InvalidOperationException>(() => InlineTaskScheduler.Run(() => throw new InvalidOperationException("encoding failed")));
        Assert.Equal("encoding failed", error.Message);
    }

    [Fact]
    public async Task confluent_serializer_finishes_on_the_calling_thread_once_the_schema_id_is_cached_with_the_same_bytes()
    {
        using var registry = NewRegistry();
        var config = new AvroSerializerConfig { AutoRegisterSchemas = true, SubjectNameStrategy = SubjectNameStrategy.Record };
        var inline = new AvroSerializer<GenericRecord>(registry, config);
        var pooled = new AvroSerializer<GenericRecord>(registry, config);
        var schema = TestContracts.Publisher().For(typeof(OrderLineAdded)).Schema;
        var record = AvroValueWriter.ToRecord(new OrderLineAdded(Guid.NewGuid(), "sku-1", 3), schema);
        var context = new SerializationContext(MessageComponentType.Value, "orders", new Headers());

        // The first call registers the schema (I/O on the registry): it still completes, resuming on the thread pool.
        Task<byte[]> first = null!;
        InlineTaskScheduler.Run(() => first = inline.SerializeAsync(record, context));
        var registered = await first.WaitAsync(Ct);

        Task<byte[]> cached = null!;
        InlineTaskScheduler.Run(() => cached = inline.SerializeAsync(record, context));
        Assert.True(cached.IsCompletedSuccessfully, "a cached-schema call on the inline scheduler must complete before Run returns");

        var expected = await pooled.SerializeAsync(record, context).WaitAsync(Ct);
        Assert.Equal(expected, registered);
        Assert.Equal(expected, await cached);
        Assert.Equal(0, expected[0]); // Confluent's magic byte, then the schema id and the Avro body
    }
}
