using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Snapshots;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.EventStore.Tests.Reading;

public sealed class TimeTravelTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task an_aggregate_loads_as_of_a_version_and_as_of_a_point_in_time()
    {
        await using var store = TestStores.Create(postgres, o => o.Snapshots.For("counter", SnapshotPolicy.Every(2)));
        var id = Guid.NewGuid();
        await store.AppendAsync(id, [new CounterOpened(id, "t")], ExpectedVersion.NoStream, null, CancellationToken.None);
        for (var i = 1; i <= 4; i++)
            await store.AppendAsync(id, [new CounterIncremented(id, i * 10)], ExpectedVersion.Exact(i), null, CancellationToken.None);
        var events = await store.ReadStreamAsync(id, 0, CancellationToken.None);

        var atThree = await store.LoadAtVersionAsync(Counter.Decider, id, 3, CancellationToken.None);
        Assert.Equal((3L, 30L, 2), (atThree.Version, atThree.State.Total, atThree.State.Increments));

        var atTime = await store.LoadAtTimeAsync(Counter.Decider, id, events[2].Timestamp, CancellationToken.None);
        Assert.Equal(atThree.State, atTime.State);
        Assert.Equal(3, atTime.Version);

        var beforeAll = await store.LoadAtTimeAsync(Counter.Decider, id, events[0].Timestamp.AddMinutes(-1), CancellationToken.None);
        Assert.Equal((0L, CounterState.Initial), (beforeAll.Version, beforeAll.State));

        // a newer snapshot never leaks into an older point in time
        await store.LoadAsync(Counter.Decider, id, CancellationToken.None);
        await Eventually.Until(async () => (await store.ReadSnapshotAsync("counter", id, CancellationToken.None))?.Version == 5,
            TimeSpan.FromSeconds(30), "snapshot at version 5");
        var again = await store.LoadAtVersionAsync(Counter.Decider, id, 3, CancellationToken.None);
        Assert.Equal(atThree.State, again.State);
        var latest = await store.LoadAtVersionAsync(Counter.Decider, id, 5, CancellationToken.None);
        Assert.Equal((5L, 100L, 0), (latest.Version, latest.State.Total, latest.EventsRead));
    }
}
