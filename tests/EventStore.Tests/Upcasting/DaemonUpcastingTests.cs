using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Reading;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.TestInfrastructure;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Marten.Events.Projections;

namespace EventSourcing.EventStore.Tests.Upcasting;

/// <summary>One row per event a projection saw, as <see cref="EventEnvelope"/> describes it.</summary>
public sealed class SeenEvent
{
    public string Id { get; set; } = "";

    public Guid StreamId { get; set; }

    public string TypeName { get; set; } = "";

    public int SchemaVersion { get; set; }

    public string Payload { get; set; } = "";
}

/// <summary>A plain Marten projection that records what it is handed, through <see cref="EventEnvelope.FromMarten"/>.</summary>
public sealed class SeenEventsProjection(EventTypeRegistry registry) : IProjection
{
    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var @event in events)
        {
            var envelopes = EventEnvelope.FromMarten(@event, registry);
            for (var i = 0; i < envelopes.Count; i++)
            {
                var e = envelopes[i];
                operations.Store(new SeenEvent
                {
                    Id = $"{e.StreamId}:{e.StreamVersion}:{i}",
                    StreamId = e.StreamId,
                    TypeName = e.TypeName,
                    SchemaVersion = e.SchemaVersion,
                    Payload = e.Data.ToString() ?? "",
                });
            }
        }

        return Task.CompletedTask;
    }
}

public sealed class DaemonUpcastingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task the_async_daemon_and_a_rebuild_see_upcast_events()
    {
        var schema = postgres.NewSchemaName();
        var id = Guid.NewGuid();
        await using (var release1 = TestStores.Create(postgres, o => o.Events.Register<LabelledV1>().Register<BumpedTwiceV1>(), schema))
            await release1.AppendAsync(id, [new CounterOpened(id, "d"), new LabelledV1(id, "old"), new BumpedTwiceV1(id, 1, 2)], ExpectedVersion.NoStream, null, CancellationToken.None);

        await using var store = TestStores.Create(postgres, o =>
        {
            Labels.Register(o.Events);
            o.ConfigureMarten(m => m.Projections.Add(new SeenEventsProjection(o.Events), ProjectionLifecycle.Async, "seen-events"));
        }, schema);
        await store.EnsureSchemaAsync(CancellationToken.None);

        using (var daemon = await store.DocumentStore.BuildProjectionDaemonAsync())
        {
            await daemon.StartAllAsync();
            await store.DocumentStore.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
            await daemon.StopAllAsync();
        }

        await AssertSeenAsync(store, id);

        await using (var wipe = postgres.DataSource.CreateCommand($"delete from {schema}.mt_doc_seenevent"))
            await wipe.ExecuteNonQueryAsync();
        using (var daemon = await store.DocumentStore.BuildProjectionDaemonAsync())
            await daemon.RebuildProjectionAsync("seen-events", CancellationToken.None);

        await AssertSeenAsync(store, id);
    }

    private static async Task AssertSeenAsync(MartenEventStore store, Guid id)
    {
        await using var session = store.DocumentStore.QuerySession();
        var seen = (await session.Query<SeenEvent>().Where(s => s.StreamId == id).ToListAsync()).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [("counter.opened", 1), ("counter.labelled", 3), ("counter.incremented", 1), ("counter.incremented", 1)],
            seen.Select(s => (s.TypeName, s.SchemaVersion)));
        Assert.Contains("Text = old, Language = en", seen[1].Payload, StringComparison.Ordinal);
        Assert.Contains("By = 2", seen[3].Payload, StringComparison.Ordinal);
    }
}
