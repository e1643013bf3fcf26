using System.Diagnostics;
using EventSourcing.Projections.Sinks;

namespace EventSourcing.Benchmarks.Elasticsearch;

/// <summary>
/// The sink the daemon's <c>BatchProcessor</c> sees in <c>es-sink-cpu</c>: loads answer from what the index holds
/// (an in-process stand-in for the daemon's <c>_mget</c>, which this scenario does not measure, sized up front so it
/// never grows on the clock); writes go to the real <see cref="Projections.Sinks.Elasticsearch.ElasticsearchSink"/>
/// and its in-memory transport, and what was applied is remembered for the next batch's load.
/// </summary>
internal sealed class IndexStandIn(IReadModelSink elasticsearch, int capacity) : IReadModelSink
{
    private readonly Dictionary<string, StoredDocument> _index = new(capacity, StringComparer.Ordinal);

    public string Kind => elasticsearch.Kind;

    /// <summary>Seconds spent inside the Elasticsearch sink's bulk write since the last <see cref="Clear"/>.</summary>
    public double WriteSeconds { get; private set; }

    public void Clear()
    {
        _index.Clear();
        WriteSeconds = 0;
    }

    // The whole index answers: the processor only looks up the keys it asked for.
    public Task<IReadOnlyDictionary<string, StoredDocument>> LoadAsync(
        ReadModelTarget target, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, StoredDocument>>(_index);

    public async Task<IReadOnlyList<WriteOutcome>> WriteAsync(
        ReadModelTarget target, IReadOnlyList<DocumentChange> changes, SinkWriteContext context, CancellationToken cancellationToken)
    {
        var writing = Stopwatch.GetTimestamp();
        var outcomes = await elasticsearch.WriteAsync(target, changes, context, cancellationToken).ConfigureAwait(false);
        WriteSeconds += Stopwatch.GetElapsedTime(writing).TotalSeconds;
        if (outcomes.Count != changes.Count)
            throw new InvalidOperationException("es-sink-cpu: the sink did not answer every change");
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i].Status != WriteStatus.Applied)
                throw new InvalidOperationException($"es-sink-cpu: the sink did not apply {outcomes[i].Key}: {outcomes[i].Status}");
            var change = changes[i];
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
