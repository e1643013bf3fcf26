using System.Diagnostics;
using EventSourcing.Projections.Sinks;

namespace EventSourcing.Benchmarks.Elasticsearch;

/// <summary>
/// The sink the daemon's <c>BatchProcessor</c> sees in <c>es-sink-cpu</c>: writes go to the real
/// <see cref="Projections.Sinks.Elasticsearch.ElasticsearchSink"/> and its in-memory transport; loads answer from the
/// documents written so far (an in-process stand-in for the daemon's <c>_mget</c>, which this scenario does not
/// measure, sized up front so it never grows on the clock).
/// </summary>
/// <remarks>
/// In a real deployment the index lives in Elasticsearch, not in the daemon's heap: a document the daemon wrote is
/// garbage as soon as the bulk call returns. So the stand-in keeps only the documents of <paramref name="reloaded"/>,
/// the keys a later batch loads again (known from the events up front). Keeping every document instead would make the
/// garbage collector promote the whole index, twice, on ours' clock: a cost of this stand-in, not of the daemon.
/// </remarks>
internal sealed class IndexStandIn(IReadModelSink elasticsearch, IReadOnlySet<string> reloaded) : IReadModelSink
{
    private readonly Dictionary<string, StoredDocument> _index = new(reloaded.Count, StringComparer.Ordinal);

    public string Kind => elasticsearch.Kind;

    /// <summary>Seconds spent inside the Elasticsearch sink's bulk write since the last <see cref="Clear"/>.</summary>
    public double WriteSeconds { get; private set; }

    /// <summary>Bytes allocated inside the Elasticsearch sink's bulk write since the last <see cref="Clear"/>.</summary>
    public long WriteBytes { get; private set; }

    public void Clear()
    {
        _index.Clear();
        WriteSeconds = 0;
        WriteBytes = 0;
    }

    // The whole index answers: the processor only looks up the keys it asked for.
    public Task<IReadOnlyDictionary<string, StoredDocument>> LoadAsync(
        ReadModelTarget target, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, StoredDocument>>(_index);

    public async Task<IReadOnlyList<WriteOutcome>> WriteAsync(
        ReadModelTarget target, IReadOnlyList<DocumentChange> changes, SinkWriteContext context, CancellationToken cancellationToken)
    {
        var writing = Stopwatch.GetTimestamp();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var outcomes = await elasticsearch.WriteAsync(target, changes, context, cancellationToken).ConfigureAwait(false);
        WriteBytes += GC.GetAllocatedBytesForCurrentThread() - allocated;
        WriteSeconds += Stopwatch.GetElapsedTime(writing).TotalSeconds;
        if (outcomes.Count != changes.Count)
            throw new InvalidOperationException("es-sink-cpu: the sink did not answer every change");
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i].Status != WriteStatus.Applied)
                throw new InvalidOperationException($"es-sink-cpu: the sink did not apply {outcomes[i].Key}: {outcomes[i].Status}");
            var change = changes[i];
            if (reloaded.Contains(change.Key))
                _index[change.Key] = new StoredDocument(change.Key, change.Document, change.Version);
        }

        return outcomes;
    }

    public Task PrepareAsync(ReadModelTarget target, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SwapAsync(ReadModelTarget target, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int?> LiveVersionAsync(string readModel, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyDictionary<string, StoredDocument>> LoadLiveAsync(
        ReadModelTarget readModel, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RetireAsync(ReadModelTarget target, CancellationToken cancellationToken) => throw new NotSupportedException();
}
