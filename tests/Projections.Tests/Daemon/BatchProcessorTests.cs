using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks;

namespace EventSourcing.Projections.Tests.Daemon;

/// <summary>
/// <see cref="BatchProcessor"/> on its own, over an in-memory sink: which changes it hands the sink (one per document,
/// in the order of the documents' first events, with the version and the events folded in), what it skips and what it
/// dead-letters, and that one batch's working state never leaks into the next (its arrays are reused).
/// </summary>
public sealed class BatchProcessorTests
{
    private static readonly ReadModelTarget Target = ReadModelTarget.For(new CounterProjection());

    [Fact]
    public async Task one_change_per_document_in_first_event_order_with_version_and_folded_events()
    {
        var sink = new MemorySink();
        sink.Stored["b"] = new StoredDocument("b", new Counter("b", 10), 3);
        var processor = Processor(sink);

        var result = await processor.ProcessAsync(new CounterProjection(), Target,
            [Added(4, "a", 1), Added(5, "b", 2), Added(6, "a", 3), Added(2, "b", 100), Added(7, "c", 4), Added(8, "a", 5)],
            SinkWriteContext.Direct, reapply: false, CancellationToken.None);

        Assert.Equal((5, 1, 3, 0), (result.Applied, result.Skipped, result.DocumentsWritten, result.DeadLetters.Count));
        var changes = Assert.Single(sink.Writes);
        Assert.Equal(["a", "b", "c"], changes.Select(c => c.Key));
        Assert.Equal([new Counter("a", 9), new Counter("b", 12), new Counter("c", 4)], changes.Select(c => c.Document));
        Assert.Equal([8L, 5L, 7L], changes.Select(c => c.Version));
        Assert.Equal([4L, 6L, 8L], changes[0].EventSequences.ToArray());
        Assert.Equal([5L], changes[1].EventSequences.ToArray());
        Assert.Equal([7L], changes[2].EventSequences.ToArray());
    }

    [Fact]
    public async Task events_without_a_key_or_failing_to_apply_are_dead_lettered_and_the_rest_is_written()
    {
        var sink = new MemorySink();
        var processor = Processor(sink);

        var result = await processor.ProcessAsync(new CounterProjection(), Target,
            [Added(1, "a", 1), Added(2, "", 1), Added(3, "a", -1), Added(4, "b", 2)],
            SinkWriteContext.Direct, reapply: false, CancellationToken.None);

        Assert.Equal([2L, 3L], result.DeadLetters.Select(d => d.Sequence));
        var changes = Assert.Single(sink.Writes);
        Assert.Equal([("a", 1L), ("b", 4L)], changes.Select(c => (c.Key, c.Version)));
        Assert.Equal([new Counter("a", 1), new Counter("b", 2)], changes.Select(c => c.Document));
        Assert.Equal([1L], changes[0].EventSequences.ToArray());
    }

    [Fact]
    public async Task a_batch_starts_clean_after_a_bigger_one_and_a_document_with_only_skipped_events_is_not_written()
    {
        var sink = new MemorySink();
        var processor = Processor(sink);
        var projection = new CounterProjection();
        await processor.ProcessAsync(projection, Target,
            [Added(1, "a", 1), Added(2, "b", 1), Added(3, "c", 1), Added(4, "a", 1)], SinkWriteContext.Direct, reapply: false, CancellationToken.None);

        var result = await processor.ProcessAsync(projection, Target,
            [Added(2, "b", 50), Added(5, "d", 7)], SinkWriteContext.Direct, reapply: false, CancellationToken.None);

        Assert.Equal((1, 1), (result.Applied, result.Skipped));
        var changes = sink.Writes[^1];
        var change = Assert.Single(changes);
        Assert.Equal(("d", 5L, new Counter("d", 7)), (change.Key, change.Version, change.Document));
        Assert.Equal([5L], change.EventSequences.ToArray());
        Assert.Equal(new Counter("b", 1), sink.Stored["b"].Document);
    }

    private static BatchProcessor Processor(IReadModelSink sink) =>
        new(sink, new SinkResilience(new ProjectionsOptions { ConnectionString = "Host=unused" }, new ProjectionHealth()), TimeProvider.System);

    private static ProjectedEvent Added(long sequence, string key, int amount) =>
        new(new CounterAdded(key, amount), sequence, key, Guid.NewGuid(), nameof(CounterAdded), DateTimeOffset.UnixEpoch);

    private sealed record CounterAdded(string Key, int Amount);

    private sealed record Counter(string Key, int Total);

    private sealed class CounterProjection : ReadModelProjection<Counter>
    {
        public CounterProjection() : base("counters", version: 1) =>
            Upsert<CounterAdded>(e => e.Key, (d, e) => e.Amount < 0
                ? throw new InvalidOperationException("negative amount")
                : new Counter(e.Key, (d?.Total ?? 0) + e.Amount));
    }

    /// <summary>Documents in a dictionary; records every batch of changes it was asked to write and applies them.</summary>
    private sealed class MemorySink : IReadModelSink
    {
        public Dictionary<string, StoredDocument> Stored { get; } = new(StringComparer.Ordinal);

        public List<List<DocumentChange>> Writes { get; } = [];

        public string Kind => "memory";

        public Task PrepareAsync(ReadModelTarget target, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyDictionary<string, StoredDocument>> LoadAsync(
            ReadModelTarget target, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, StoredDocument>>(
                keys.Where(Stored.ContainsKey).ToDictionary(k => k, k => Stored[k], StringComparer.Ordinal));

        public Task<IReadOnlyList<WriteOutcome>> WriteAsync(
            ReadModelTarget target, IReadOnlyList<DocumentChange> changes, SinkWriteContext context, CancellationToken cancellationToken)
        {
            Writes.Add([.. changes]);
            foreach (var change in changes)
                Stored[change.Key] = new StoredDocument(change.Key, change.Document, change.Version);
            return Task.FromResult<IReadOnlyList<WriteOutcome>>(changes.Select(c => WriteOutcome.Applied(c.Key)).ToList());
        }

        public Task SwapAsync(ReadModelTarget target, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int?> LiveVersionAsync(string readModel, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, StoredDocument>> LoadLiveAsync(
            ReadModelTarget readModel, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RetireAsync(ReadModelTarget target, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
