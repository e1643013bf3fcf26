using System.Diagnostics;
using System.Runtime.InteropServices;
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
    private static readonly IReadOnlyDictionary<string, StoredDocument> Empty = new Dictionary<string, StoredDocument>();

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
        var started = Stopwatch.GetTimestamp();
        var deadLetters = new List<DeadLetter>();

        // Key every event once; documents are numbered in the order of their first events. The sink's load gets the
        // scratch's key collection, valid until the load returns (no sink keeps it).
        var count = events.Count;
        var scratch = BatchScratch.Rent(count);
        List<DocumentChange> changes;
        int applied, skipped;
        try
        {
            var numbers = scratch.Numbers;
            var keys = scratch.Keys;
            var documentOf = scratch.DocumentOf;
            var eventsPer = scratch.EventsPer;
            for (var i = 0; i < count; i++)
            {
                var e = events[i];
                string key;
                try { key = projection.KeyOf(e); }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    documentOf[i] = -1;
                    deadLetters.Add(Dead(projection, e, ex.Message));
                    continue;
                }

                ref var number = ref CollectionsMarshal.GetValueRefOrAddDefault(numbers, key, out var seen);
                if (!seen)
                {
                    number = numbers.Count - 1;
                    keys[number] = key;
                }

                documentOf[i] = number;
                eventsPer[number]++;
            }

            var stored = numbers.Count == 0
                ? Empty
                : await _resilience.ExecuteAsync(projection.Name, ct => _sink.LoadAsync(target, numbers.Keys, ct), cancellationToken).ConfigureAwait(false);
            (changes, applied, skipped) = Apply(projection, events, reapply, scratch, stored, deadLetters);
        }
        finally
        {
            scratch.Return();
        }

        var written = await WriteAsync(projection, target, changes, context, events, deadLetters, cancellationToken).ConfigureAwait(false);

        var tags = ProjectionTelemetry.Tags(projection.Name);
        ProjectionTelemetry.EventsProcessed.Add(applied, tags);
        ProjectionTelemetry.BatchSize.Record(events.Count, tags);
        ProjectionTelemetry.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tags);
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

            List<DocumentChange>? retry = null;
            for (var i = 0; i < batch.Count; i++)
            {
                switch (outcomes[i].Status)
                {
                    case WriteStatus.Applied or WriteStatus.AlreadyApplied:
                        written++;
                        break;
                    case WriteStatus.Retryable:
                        (retry ??= []).Add(batch[i]);
                        break;
                    default:
                        var reason = $"rejected by {_sink.Kind}: {outcomes[i].Reason ?? "no reason given"}";
                        foreach (var sequence in batch[i].EventSequences.Span)
                            deadLetters.Add(Dead(projection, events.First(e => e.Sequence == sequence), reason));
                        break;
                }
            }

            if (retry is not null)
            {
                ProjectionTelemetry.Retries.Add(retry.Count, ProjectionTelemetry.Tags(projection.Name));
                await Task.Delay(_resilience.Delay(attempt), cancellationToken).ConfigureAwait(false);
            }

            pending = retry ?? [];
        }

        return written;
    }

    private DeadLetter Dead(IReadModelProjection projection, ProjectedEvent e, string error) =>
        new(projection.Name, e.Sequence, e.EventId, e.StreamKey, e.EventTypeName, error, _clock.GetUtcNow());

    /// <summary>
    /// Applies the events in global order to their documents, loaded once: per document its current state and
    /// version, and the sequences of the events folded into it, all kept in arrays indexed by document number
    /// (one array of sequences for the whole batch, one slice of it per document). Returns one change per
    /// document that took at least one event, in the order of the documents' first events.
    /// </summary>
    private (List<DocumentChange> Changes, int Applied, int Skipped) Apply(
        IReadModelProjection projection, IReadOnlyList<ProjectedEvent> events, bool reapply, BatchScratch scratch,
        IReadOnlyDictionary<string, StoredDocument> stored, List<DeadLetter> deadLetters)
    {
        var documentCount = scratch.Numbers.Count;
        var (keys, documentOf, eventsPer) = (scratch.Keys, scratch.DocumentOf, scratch.EventsPer);
        var (documents, versions, offsets, filled) = (scratch.Documents, scratch.Versions, scratch.Offsets, scratch.Filled);
        var offset = 0;
        for (var d = 0; d < documentCount; d++)
        {
            if (stored.TryGetValue(keys[d], out var s))
            {
                documents[d] = s.Document;
                versions[d] = s.Version;
            }
            else
            {
                versions[d] = 0;
            }

            offsets[d] = offset;
            offset += eventsPer[d];
        }

        // Skipping compares with the version stored before this batch, not the one the batch reached: the events an
        // upcaster split one stored event into share its sequence, and each must apply.
        var storedVersions = scratch.StoredVersions;
        Array.Copy(versions, storedVersions, documentCount);
        var sequences = new long[offset];
        int applied = 0, skipped = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var d = documentOf[i];
            if (d < 0)
                continue; // no key: already dead-lettered
            var e = events[i];
            if (e.Sequence <= storedVersions[d] && !reapply)
            {
                skipped++;
                continue;
            }

            try
            {
                documents[d] = projection.Apply(documents[d], e);
                versions[d] = Math.Max(versions[d], e.Sequence);
                sequences[offsets[d] + filled[d]++] = e.Sequence;
                applied++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                deadLetters.Add(Dead(projection, e, ex.Message));
            }
        }

        var changes = new List<DocumentChange>(documentCount);
        for (var d = 0; d < documentCount; d++)
        {
            if (filled[d] > 0)
                changes.Add(new DocumentChange(keys[d], documents[d], versions[d], sequences.AsMemory(offsets[d], filled[d])));
        }

        return (changes, applied, skipped);
    }
}
