using Confluent.Kafka;
using EventSourcing.Projections.Kafka.Publishing;
using EventSourcing.TestInfrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventSourcing.Projections.Tests.Kafka;

/// <summary>
/// The producer may be disposed (host shutdown, a killed publisher) while a page is still producing on
/// another thread. Confluent's clients hand librdkafka the raw handle, so without a guard that race is
/// a use-after-free that aborts the whole process; with it, the producing page gets an ObjectDisposedException.
/// </summary>
public sealed class ProducerLifetimeTests(PostgresFixture postgres, KafkaFixture kafka)
    : KafkaTestBase(postgres, kafka), IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task disposing_while_another_thread_produces_stops_that_thread_with_object_disposed_and_never_inside_librdkafka()
    {
        for (var round = 0; round < 20; round++)
        {
            var producer = new KafkaEventProducer(PublisherHost.DefaultOptions(Kafka), NullLogger<KafkaEventProducer>.Instance);
            var batch = producer.StartBatch();
            var message = new OutgoingEvent("producer-lifetime", new Message<string, byte[]> { Key = "k", Value = [0, 0, 0, 0, 1, 2] }, 1);
            using var started = new SemaphoreSlim(0);
            var producing = Task.Run(() =>
            {
                var produced = 0;
                try
                {
                    while (true)
                    {
                        if (batch.TryProduce(message) && ++produced == 100)
                            started.Release();
                    }
                }
                catch (ObjectDisposedException)
                {
                    return produced;
                }
            }, Ct);

            Assert.True(await started.WaitAsync(TimeSpan.FromSeconds(30), Ct), "the producing thread did not start");
            producer.Dispose();

            var produced = await producing.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.True(produced >= 100);
            Assert.Throws<ObjectDisposedException>(() => batch.TryProduce(message));
            producer.Dispose(); // a second dispose is harmless
        }
    }
}
