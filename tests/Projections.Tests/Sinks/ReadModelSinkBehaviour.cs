using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Sinks;

namespace EventSourcing.Projections.Tests.Sinks;

/// <summary>
/// The behaviour every <see cref="IReadModelSink"/> passes. A sink's test class inherits it and supplies
/// the sink; the suite names each read model uniquely, so one sink instance may serve every test.
/// Override <see cref="AfterWriteAsync"/> when reads need a refresh (Elasticsearch).
/// The tests are <c>[SkippableFact]</c>: a suite whose server may be absent (the live Elasticsearch suite) gates
/// its <see cref="Sink"/> with <c>LiveServices.Require…()</c>, and every inherited test is then reported as skipped
/// with the reason; suites that always have their sink run every test as a plain fact.
/// </summary>
public abstract class ReadModelSinkBehaviour
{
    private static readonly SearchIndexDefinition Index = SearchIndexDefinition.Parse(
        """{"properties":{"id":{"type":"keyword"},"name":{"type":"text"},"count":{"type":"integer"}}}""");

    /// <summary>The sink under test.</summary>
    protected abstract IReadModelSink Sink { get; }

    /// <summary>Called after each write and swap; make written documents visible to reads here.</summary>
    protected virtual Task AfterWriteAsync(ReadModelTarget target) => Task.CompletedTask;

    /// <summary>A fresh read-model name per test.</summary>
    protected virtual string NewReadModelName() => "suite_" + Guid.NewGuid().ToString("N")[..10];

    protected static CancellationToken Ct => CancellationToken.None;

    protected ReadModelTarget NewTarget(int version = 1) =>
        new(NewReadModelName(), version, typeof(SinkSuiteDocument), Index);

    protected static DocumentChange Upsert(string key, string name, int count, long version) =>
        new(key, new SinkSuiteDocument(key, name, count), version, new[] { version });

    protected static DocumentChange Remove(string key, long version) => new(key, null, version, new[] { version });

    protected async Task<IReadOnlyList<WriteOutcome>> WriteAsync(ReadModelTarget target, params DocumentChange[] changes)
    {
        var outcomes = await Sink.WriteAsync(target, changes, SinkWriteContext.Direct, Ct);
        await AfterWriteAsync(target);
        return outcomes;
    }

    [SkippableFact]
    public async Task prepare_is_idempotent_and_a_new_version_starts_empty()
    {
        var target = NewTarget();
        await Sink.PrepareAsync(target, Ct);
        await Sink.PrepareAsync(target, Ct);

        var loaded = await Sink.LoadAsync(target, ["a"], Ct);

        Assert.Empty(loaded);
    }

    [SkippableFact]
    public async Task written_documents_load_with_their_version_and_one_outcome_per_change()
    {
        var target = NewTarget();
        await Sink.PrepareAsync(target, Ct);

        var outcomes = await WriteAsync(target, Upsert("a", "alpha", 1, 10), Upsert("b", "beta", 2, 11));

        Assert.Equal([("a", WriteStatus.Applied), ("b", WriteStatus.Applied)], outcomes.Select(o => (o.Key, o.Status)));
        var loaded = await Sink.LoadAsync(target, ["a", "b", "missing"], Ct);
        Assert.Equal(2, loaded.Count);
        Assert.Equal(new SinkSuiteDocument("a", "alpha", 1), loaded["a"].Document);
        Assert.Equal(10, loaded["a"].Version);
        Assert.Equal(11, loaded["b"].Version);
    }

    [SkippableFact]
    public async Task an_older_version_is_already_applied_and_changes_nothing()
    {
        var target = NewTarget();
        await Sink.PrepareAsync(target, Ct);
        await WriteAsync(target, Upsert("a", "new", 2, 20));

        var outcomes = await WriteAsync(target, Upsert("a", "stale", 1, 19), Upsert("b", "fresh", 1, 21));

        Assert.Equal([WriteStatus.AlreadyApplied, WriteStatus.Applied], outcomes.Select(o => o.Status));
        var loaded = await Sink.LoadAsync(target, ["a"], Ct);
        Assert.Equal(new SinkSuiteDocument("a", "new", 2), loaded["a"].Document);
        Assert.Equal(20, loaded["a"].Version);
    }

    [SkippableFact]
    public async Task a_newer_version_replaces_the_document()
    {
        var target = NewTarget();
        await Sink.PrepareAsync(target, Ct);
        await WriteAsync(target, Upsert("a", "one", 1, 5));

        await WriteAsync(target, Upsert("a", "two", 2, 6));

        var loaded = await Sink.LoadAsync(target, ["a"], Ct);
        Assert.Equal(new SinkSuiteDocument("a", "two", 2), loaded["a"].Document);
        Assert.Equal(6, loaded["a"].Version);
    }

    [SkippableFact]
    public async Task a_deleted_document_is_gone_and_an_older_replay_does_not_resurrect_it()
    {
        var target = NewTarget();
        await Sink.PrepareAsync(target, Ct);
        await WriteAsync(target, Upsert("a", "one", 1, 5));

        await WriteAsync(target, Remove("a", 7));
        var replay = await WriteAsync(target, Upsert("a", "one", 1, 5));

        Assert.NotEqual(WriteStatus.Applied, replay[0].Status);
        var loaded = await Sink.LoadAsync(target, ["a"], Ct);
        Assert.True(!loaded.TryGetValue("a", out var doc) || doc.Document is null, "a deleted document must not load as a document");
    }

    [SkippableFact]
    public async Task swap_points_readers_at_the_version_atomically()
    {
        var v1 = NewTarget();
        var v2 = v1 with { Version = 2 };
        await Sink.PrepareAsync(v1, Ct);
        await Sink.PrepareAsync(v2, Ct);
        await WriteAsync(v1, Upsert("a", "from v1", 1, 1));
        await WriteAsync(v2, Upsert("a", "from v2", 2, 1));

        Assert.Null(await Sink.LiveVersionAsync(v1.ReadModel, Ct));
        await Sink.SwapAsync(v1, Ct);
        await AfterWriteAsync(v1);
        var before = await Sink.LoadLiveAsync(v1, ["a"], Ct);
        await Sink.SwapAsync(v2, Ct);
        await AfterWriteAsync(v2);
        var after = await Sink.LoadLiveAsync(v1, ["a"], Ct);

        Assert.Equal("from v1", ((SinkSuiteDocument)before["a"].Document!).Name);
        Assert.Equal("from v2", ((SinkSuiteDocument)after["a"].Document!).Name);
        Assert.Equal(2, await Sink.LiveVersionAsync(v1.ReadModel, Ct));
    }

    [SkippableFact]
    public async Task retire_drops_a_version_but_refuses_the_live_one()
    {
        var v1 = NewTarget();
        var v2 = v1 with { Version = 2 };
        await Sink.PrepareAsync(v1, Ct);
        await Sink.PrepareAsync(v2, Ct);
        await WriteAsync(v1, Upsert("a", "old", 1, 1));
        await Sink.SwapAsync(v2, Ct);

        await Sink.RetireAsync(v1, Ct);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => Sink.RetireAsync(v2, Ct));

        await Sink.PrepareAsync(v1, Ct);
        Assert.Empty(await Sink.LoadAsync(v1, ["a"], Ct));
    }
}
