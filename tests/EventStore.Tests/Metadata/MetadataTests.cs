using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.EventStore.Tests.Metadata;

public sealed class MetadataTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task every_event_carries_its_metadata_on_stream_and_global_reads()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();
        var options = new AppendOptions
        {
            CorrelationId = "corr-1",
            CausationId = "cmd-9",
            Headers = new Dictionary<string, object>(StringComparer.Ordinal) { ["user"] = "ada", ["attempt"] = 2 },
        };

        await store.AppendAsync(id, [new CounterOpened(id, "m"), new CounterIncremented(id, 1)], ExpectedVersion.NoStream, options, CancellationToken.None);
        var stream = await store.ReadStreamAsync(id, 0, CancellationToken.None);
        var global = (await store.ReadAllAsync(0, 10_000, CancellationToken.None)).Where(e => e.StreamId == id).ToList();

        foreach (var events in new[] { stream, global })
        {
            Assert.Equal(2, events.Count);
            Assert.All(events, e =>
            {
                Assert.NotEqual(Guid.Empty, e.EventId);
                Assert.Equal(id, e.StreamId);
                Assert.True(e.GlobalSequence > 0);
                Assert.NotEqual(default, e.Timestamp);
                Assert.Equal(1, e.SchemaVersion);
                Assert.Equal("corr-1", e.CorrelationId);
                Assert.Equal("cmd-9", e.CausationId);
                Assert.Equal("ada", e.Headers["user"].ToString());
                Assert.Equal("2", e.Headers["attempt"].ToString());
            });
            Assert.Equal(["counter.opened", "counter.incremented"], events.Select(e => e.TypeName));
            Assert.Equal([1L, 2], events.Select(e => e.StreamVersion));
            Assert.NotEqual(events[0].EventId, events[1].EventId);
        }

        Assert.Equal(stream.Select(e => e.GlobalSequence), global.Select(e => e.GlobalSequence));
    }

    [Fact]
    public async Task handled_commands_store_their_correlation_and_causation()
    {
        await using var store = TestStores.Create(postgres);
        var id = Guid.NewGuid();

        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "m"), new AppendOptions { CorrelationId = "c", CausationId = "open-1" }, CancellationToken.None);

        var e = Assert.Single(await store.ReadStreamAsync(id, 0, CancellationToken.None));
        Assert.Equal(("c", "open-1"), (e.CorrelationId, e.CausationId));
        Assert.Empty(e.Headers);
    }
}
