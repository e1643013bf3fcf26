using System.Diagnostics;
using EventSourcing.Projections.DeadLetters;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Observability;
using EventSourcing.Projections.Sinks;

namespace EventSourcing.Projections.Daemon;

/// <summary>
/// The heart of the daemon: for one batch of events and one read-model version, load the documents once,
/// apply the events in memory in global order, write the changed documents in one bulk call, and turn
/// projection failures and rejected documents into dead letters. Events already reflected in a document
/// (sequence at or below its version) are skipped, so a batch can be re-run after a crash.
/// </summary>
internal sealed class BatchProcessor
{
    private readonly IReadModelSink _sink;
    private readonly SinkResilience _resilience;
    private readonly TimeProvider _clock;

    public BatchProcessor(IReadModelSink sink, SinkResilience resilience, TimeProvider clock)
    {
        _sink = sink;
        _resilience = resilience;
        _clock = clock;
    }

    public async Task<BatchResult> ProcessAsync(
        IReadModelProjection projection, ReadModelTarget target, IReadOnlyList<ProjectedEvent> events,
        SinkWriteContext context, bool reapply, CancellationToken cancellationToken)
    {
        using var activity = ProjectionTelemetry.Source.StartActivity("projection batch");
        activity?.SetTag("projection", projection.Name);
        activity?.SetTag("read_model.version", target.Version);
        activity?.SetTag("batch.size", events.Count);
        var clock = Stopwatch.StartNew();
        var deadLetters = new List<DeadLetter>();

        var keyed = new List<(ProjectedEvent Event, string Key)>(events.Count);
        foreach (var e in events)
        {
            try { keyed.Add((e, projection.KeyOf(e))); }
            catch (Exception ex) when (ex is not OperationCanceledException) { deadLetters.Add(Dead(projection, e, ex.Message)); }
        }

        var keys = keyed.Select(k => k.Key).Distinct(StringComparer.Ordinal).ToList();
        var stored = keys.Count == 0
            ? new Dictionary<string, StoredDocument>()
            : await _resilience.ExecuteAsync(projection.Name, ct => _sink.LoadAsync(target, keys, ct), cancellationToken).ConfigureAwait(false);

        var working = new Dictionary<string, Working>(StringComparer.Ordinal);
        int applied = 0, skipped = 0;
        foreach (var (e, key) in keyed)
        {
            if (!working.TryGetValue(key, out var doc))
            {
                doc = stored.TryGetValue(key, out var s) ? new Working(s.Document, s.Version) : new Working(null, 0);
                working[key] = doc;
            }

            if (e.Sequence <= doc.Version && !reapply)
            {
                skipped++;
                continue;
            }

            try
            {
                doc.Document = projection.Apply(doc.Document, e);
                doc.Version = Math.Max(doc.Version, e.Sequence);
                doc.Sequences.Add(e.Sequence);
                applied++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                deadLetters.Add(Dead(projection, e, ex.Message));
            }
        }

        var changes = working.Where(w => w.Value.Sequences.Count > 0)
            .Select(w => new DocumentChange(w.Key, w.Value.Document, w.Value.Version, w.Value.Sequences))
            .ToList();
        var written = await WriteAsync(projection, target, changes, context, events, deadLetters, cancellationToken).ConfigureAwait(false);

        var tags = ProjectionTelemetry.Tags(projection.Name);
        ProjectionTelemetry.EventsProcessed.Add(applied, tags);
        ProjectionTelemetry.BatchSize.Record(events.Count, tags);
        ProjectionTelemetry.BatchDuration.Record(clock.Elapsed.TotalMilliseconds, tags);
        if (deadLetters.Count > 0)
            ProjectionTelemetry.DeadLetters.Add(deadLetters.Count, tags);
        return new BatchResult(applied, skipped, written, deadLetters);
    }

    private async Task<int> WriteAsync(
        IReadModelProjection projection, ReadModelTarget target, List<DocumentChange> changes, SinkWriteContext context,
        IReadOnlyList<ProjectedEvent> events, List<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        var written = 0;
        var pending = changes;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var batch = pending;
            var outcomes = await _resilience.ExecuteAsync(projection.Name, ct => _sink.WriteAsync(target, batch, context, ct), cancellationToken).ConfigureAwait(false);
            if (outcomes.Count != batch.Count)
                throw new InvalidOperationException($"sink {_sink.Kind} returned {outcomes.Count} outcomes for {batch.Count} changes");

            var retry = new List<DocumentChange>();
            for (var i = 0; i < batch.Count; i++)
            {
                switch (outcomes[i].Status)
                {
                    case WriteStatus.Applied or WriteStatus.AlreadyApplied:
                        written++;
                        break;
                    case WriteStatus.Retryable:
                        retry.Add(batch[i]);
                        break;
                    default:
                        var reason = $"rejected by {_sink.Kind}: {outcomes[i].Reason ?? "no reason given"}";
                        deadLetters.AddRange(batch[i].EventSequences.Select(seq => Dead(projection, events.First(e => e.Sequence == seq), reason)));
                        break;
                }
            }

            if (retry.Count > 0)
            {
                ProjectionTelemetry.Retries.Add(retry.Count, ProjectionTelemetry.Tags(projection.Name));
                await Task.Delay(_resilience.Delay(attempt), cancellationToken).ConfigureAwait(false);
            }

            pending = retry;
        }

        return written;
    }

    private DeadLetter Dead(IReadModelProjection projection, ProjectedEvent e, string error) =>
        new(projection.Name, e.Sequence, e.EventId, e.StreamKey, e.EventTypeName, error, _clock.GetUtcNow());

    private sealed class Working(object? document, long version)
    {
        public object? Document { get; set; } = document;
        public long Version { get; set; } = version;
        public List<long> Sequences { get; } = [];
    }
}
