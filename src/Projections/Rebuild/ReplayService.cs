using System.Diagnostics;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks;
using Marten;

namespace EventSourcing.Projections.Rebuild;

/// <summary>
/// Re-runs a projection over part of the log, onto the live version: from a sequence, from a time, or for
/// one stream. Events are re-applied to the current documents even if already reflected, so use it for
/// projections whose handlers set values (idempotent); for anything else, rebuild.
/// </summary>
public sealed class ReplayService
{
    private readonly IDocumentStore _store;
    private readonly ProjectionRuntime _runtime;
    private readonly ProjectionCatalog _catalog;

    public ReplayService(IDocumentStore store, ProjectionRuntime runtime, ProjectionCatalog catalog)
    {
        _store = store;
        _runtime = runtime;
        _catalog = catalog;
    }

    public async Task<long> ReplayAsync(string name, ReplayFrom from, IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        var projection = _catalog.Get(name);
        var target = ReadModelTarget.For(projection, await _runtime.LiveVersionAsync(projection, cancellationToken).ConfigureAwait(false));
        await using var session = _store.QuerySession();
        var position = from.Time is { } time ? await EventPager.FirstSequenceAtAsync(session, time, cancellationToken).ConfigureAwait(false) - 1 : from.Sequence - 1;
        if (position < 0)
            return 0;
        var head = await EventPager.HeadAsync(session, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        long replayed = 0;
        while (position < head)
        {
            var page = await EventPager.PageAsync(session, position, head, _runtime.Options.BatchSize, from.Stream, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
                break;
            var handled = page.Where(e => projection.EventTypes.Contains(e.Data.GetType())).ToList();
            var result = await _runtime.Processor.ProcessAsync(projection, target, handled, SinkWriteContext.Direct, reapply: true, cancellationToken).ConfigureAwait(false);
            await _runtime.Store.AddDeadLettersAsync(result.DeadLetters, cancellationToken).ConfigureAwait(false);
            replayed += result.Applied;
            position = page[^1].Sequence;
            progress?.Report(new RebuildProgress(position, head, replayed / Math.Max(0.001, clock.Elapsed.TotalSeconds)));
        }

        return replayed;
    }
}

/// <summary>Where a replay starts: a sequence (1 = everything), a time, optionally only one stream.</summary>
public sealed record ReplayFrom(long Sequence = 1, DateTimeOffset? Time = null, string? Stream = null);
