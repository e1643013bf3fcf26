using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Reading;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.EventStore.Tests.Upcasting;

public sealed class UpcastingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private readonly string _schema = postgres.NewSchemaName();

    /// <summary>Writes a stream the way releases 1 and 2 did: v1 labels, v2 labels, a tag, a double bump.</summary>
    private async Task<Guid> WriteHistoryAsync()
    {
        var id = Guid.NewGuid();
        await using (var release1 = TestStores.Create(postgres, o => o.Events.Register<LabelledV1>().Register<TaggedV1>().Register<BumpedTwiceV1>(), _schema))
        {
            await release1.AppendAsync(id, [new CounterOpened(id, "old"), new LabelledV1(id, "first")], ExpectedVersion.NoStream, null, CancellationToken.None);
            await release1.AppendAsync(id, [new TaggedV1(id, "tag"), new BumpedTwiceV1(id, 3, 4)], ExpectedVersion.Exact(2), null, CancellationToken.None);
        }

        await using (var release2 = TestStores.Create(postgres, o => o.Events.Register<LabelledV2>(), _schema))
            await release2.AppendAsync(id, [new LabelledV2(id, "zweite", "de")], ExpectedVersion.Exact(4), null, CancellationToken.None);
        return id;
    }

    private MartenEventStore Today() => TestStores.Create(postgres, o => Labels.Register(o.Events), _schema);

    [Fact]
    public async Task events_stored_as_v1_load_as_v3_through_the_upcaster_chain()
    {
        var id = await WriteHistoryAsync();
        await using var store = Today();

        var loaded = await store.LoadAsync(Labels.Decider, id, CancellationToken.None);

        Assert.Equal(5, loaded.Version);
        Assert.Equal(5, loaded.EventsRead);
        Assert.Equal([new LabelText("first", "en"), new LabelText("tag", "und"), new LabelText("zweite", "de")], loaded.State.Labels);
        Assert.Equal(7, loaded.State.Total);
    }

    [Fact]
    public async Task the_global_log_reader_returns_upcast_events_with_their_stored_and_current_versions()
    {
        var id = await WriteHistoryAsync();
        await using var store = Today();

        var all = new List<EventEnvelope>();
        for (var after = 0L; ;)
        {
            var page = await store.ReadAllAsync(after, 2, CancellationToken.None);
            if (page.Count == 0)
                break;
            all.AddRange(page);
            after = page[^1].GlobalSequence;
        }

        var mine = all.Where(e => e.StreamId == id).ToList();
        Assert.Equal(
            [
                ("counter.opened", 1, "counter.opened", 1L),
                ("counter.labelled", 3, "counter.labelled", 2L),
                ("counter.labelled", 3, "counter.tagged", 3L),
                ("counter.incremented", 1, "counter.bumped-twice", 4L),
                ("counter.incremented", 1, "counter.bumped-twice", 4L),
                ("counter.labelled", 3, "counter.labelled_v2", 5L),
            ],
            mine.Select(e => (e.TypeName, e.SchemaVersion, e.StoredTypeName, e.StreamVersion)));
        Assert.Equal(new CounterLabelled(id, new LabelText("first", "en")), mine[1].Data);
        Assert.Equal([new CounterIncremented(id, 3), new CounterIncremented(id, 4)], mine.Skip(3).Take(2).Select(e => e.Data));
        Assert.Equal(mine[3].EventId, mine[4].EventId);
    }

    [Fact]
    public async Task marten_read_paths_see_the_upcast_type_too()
    {
        var id = await WriteHistoryAsync();
        await using var store = Today();

        await using var session = store.DocumentStore.QuerySession();
        var raw = await session.Events.FetchStreamAsync(id, token: CancellationToken.None);

        Assert.IsType<CounterLabelled>(raw[1].Data);
        Assert.IsType<CounterLabelled>(raw[2].Data);
        Assert.IsType<EventSourcing.EventStore.Upcasting.SplitEvent>(raw[3].Data);
        Assert.Equal(2, EventEnvelope.FromMarten(raw[3], store.Registry).Count);
    }

    [Fact]
    public async Task the_registry_answers_which_upcasters_exist()
    {
        await using var store = Today();

        Assert.True(store.Registry.HasUpcasterFrom("counter.labelled", 1));
        Assert.True(store.Registry.HasUpcasterFrom("counter.labelled", 2));
        Assert.False(store.Registry.HasUpcasterFrom("counter.labelled", 3));
        Assert.True(store.Registry.HasUpcasterFrom("counter.tagged", 1));
        Assert.True(store.Registry.IsKnownStoredName("counter.labelled_v2"));
        Assert.False(store.Registry.IsKnownStoredName("counter.labelled_v4"));
        Assert.Equal("counter.labelled_v3", store.Registry.Get(typeof(CounterLabelled)).StoredName);
    }

    [Fact]
    public async Task a_registry_copied_with_copy_from_reads_the_same_history()
    {
        var id = await WriteHistoryAsync();
        var source = new EventTypeRegistry();
        Labels.Register(source);
        await using var store = TestStores.Create(postgres, o => o.Events.CopyFrom(source), _schema);

        var loaded = await store.LoadAsync(Labels.Decider, id, CancellationToken.None);

        Assert.Equal([new LabelText("first", "en"), new LabelText("tag", "und"), new LabelText("zweite", "de")], loaded.State.Labels);
        Assert.Equal(7, loaded.State.Total);
        Assert.Equal(source.Upcasters.Count, store.Registry.Upcasters.Count);
    }

    [Fact]
    public void an_upcaster_chain_that_ends_nowhere_fails_at_startup()
    {
        var options = TestStores.Options(postgres, _schema);
        options.Events.Upcast("counter.renamed", 1, json => json);

        var error = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("'counter.renamed' v2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_unknown_stored_event_type_is_an_error_naming_stream_version_and_type()
    {
        var id = await WriteHistoryAsync();
        await using var store = TestStores.Create(postgres, schema: _schema);

        var error = await Assert.ThrowsAsync<UnknownStoredEventTypeException>(() => store.ReadStreamAsync(id, 0, CancellationToken.None));
        Assert.Equal((id, 2L, "counter.labelled"), (error.StreamId, error.Version, error.TypeName));

        var globalError = await Assert.ThrowsAsync<UnknownStoredEventTypeException>(() => store.ReadAllAsync(0, 10_000, CancellationToken.None));
        Assert.Equal("counter.labelled", globalError.TypeName);

        await using var loosened = TestStores.Create(postgres, o => o.TolerantReader = true, _schema);
        var known = await loosened.ReadStreamAsync(id, 0, CancellationToken.None);
        Assert.Equal([1L], known.Select(e => e.StreamVersion));
        var all = await loosened.ReadAllAsync(0, 10_000, CancellationToken.None);
        Assert.Equal([1L], all.Where(e => e.StreamId == id).Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task an_unknown_type_whose_clr_type_is_gone_is_the_same_error()
    {
        var id = await WriteHistoryAsync();
        await using (var forget = postgres.DataSource.CreateCommand($"update {_schema}.mt_events set mt_dotnet_type = 'Gone.Type, Gone' where stream_id = $1 and version = 3"))
        {
            forget.Parameters.AddWithValue(id);
            await forget.ExecuteNonQueryAsync();
        }

        await using var store = TestStores.Create(postgres, o => o.Events.Register<LabelledV1>().Register<BumpedTwiceV1>(), _schema);

        var error = await Assert.ThrowsAsync<UnknownStoredEventTypeException>(() => store.ReadStreamAsync(id, 0, CancellationToken.None));
        Assert.Equal((id, 3L, "counter.tagged"), (error.StreamId, error.Version, error.TypeName));

        await using var loosened = TestStores.Create(postgres, o =>
        {
            o.Events.Register<LabelledV1>().Register<BumpedTwiceV1>();
            o.TolerantReader = true;
        }, _schema);
        var known = await loosened.ReadStreamAsync(id, 0, CancellationToken.None);
        Assert.Equal([1L, 2, 4], known.Select(e => e.StreamVersion));
        var all = await loosened.ReadAllAsync(0, 10_000, CancellationToken.None);
        Assert.Equal([1L, 2, 4], all.Where(e => e.StreamId == id).Select(e => e.StreamVersion));

        var globalError = await Assert.ThrowsAsync<UnknownStoredEventTypeException>(() => store.ReadAllAsync(0, 10_000, CancellationToken.None));
        Assert.Equal("counter.tagged", globalError.TypeName);
    }
}
