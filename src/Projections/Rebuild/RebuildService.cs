using System.Diagnostics;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks;
using JasperFx.Events;
using Marten;

namespace EventSourcing.Projections.Rebuild;

/// <summary>
/// Zero-downtime rebuild: builds version N+1 of one or more read models in one pass over the log, in
/// bounded pages, while version N keeps serving and receiving live updates. When the pass reaches the
/// head of the log it appends a <see cref="ReadModelSwapRequested"/> marker per read model; the live
/// subscription swaps the alias or view when it meets the marker in log order, so no event is missed
/// or applied twice. Only read models are written: no other side effect runs in a rebuild.
/// </summary>
public sealed class RebuildService
{
    private readonly IDocumentStore _store;
    private readonly ProjectionRuntime _runtime;
    private readonly ProjectionCatalog _catalog;

    public RebuildService(IDocumentStore store, ProjectionRuntime runtime, ProjectionCatalog catalog)
    {
        _store = store;
        _runtime = runtime;
        _catalog = catalog;
    }

    public async Task<IReadOnlyList<RebuildResult>> RebuildAsync(
        IReadOnlyList<string> names, IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
            throw new ArgumentException("name at least one projection to rebuild", nameof(names));
        var projections = names.Select(_catalog.Get).ToList();
        await _runtime.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var targets = new List<ReadModelTarget>();
        foreach (var projection in projections)
        {
            var live = await _runtime.Sink.LiveVersionAsync(projection.Name, cancellationToken).ConfigureAwait(false);
            var target = ReadModelTarget.For(projection, Math.Max((live ?? 0) + 1, projection.Version));
            await _runtime.Sink.RetireAsync(target, cancellationToken).ConfigureAwait(false);
            await _runtime.Sink.PrepareAsync(target, cancellationToken).ConfigureAwait(false);
            targets.Add(target);
        }

        var builtThrough = await PassAsync(projections, targets, progress, cancellationToken).ConfigureAwait(false);
        await AppendMarkersAsync(projections.Zip(targets, (p, t) => new ReadModelSwapRequested(p.Name, t.Version, builtThrough)), cancellationToken)
            .ConfigureAwait(false);
        return targets.Select(t => new RebuildResult(t.ReadModel, t.Version, builtThrough)).ToList();
    }

    /// <summary>Waits until the live subscription swapped the rebuilt version in.</summary>
    public async Task WaitForSwapAsync(RebuildResult rebuild, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rebuild);
        while (await _runtime.Sink.LiveVersionAsync(rebuild.Projection, cancellationToken).ConfigureAwait(false) != rebuild.Version)
            await Task.Delay(_runtime.Options.PausePollInterval, _runtime.Clock, cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> PassAsync(
        List<IReadModelProjection> projections, List<ReadModelTarget> targets, IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long position = 0, processed = 0;
        while (true)
        {
            await using var session = _store.QuerySession();
            var head = await EventPager.HeadAsync(session, cancellationToken).ConfigureAwait(false);
            if (position >= head)
                return position;
            var page = await EventPager.PageAsync(session, position, head, _runtime.Options.BatchSize * 4, null, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < projections.Count; i++)
            {
                var handled = page.Where(e => projections[i].EventTypes.Contains(e.Data.GetType())).ToList();
                if (handled.Count == 0)
                    continue;
                var result = await _runtime.Processor.ProcessAsync(projections[i], targets[i], handled, SinkWriteContext.Direct, reapply: false, cancellationToken)
                    .ConfigureAwait(false);
                await _runtime.Store.AddDeadLettersAsync(result.DeadLetters, cancellationToken).ConfigureAwait(false);
            }

            position = page.Count == 0 ? head : page[^1].Sequence;
            processed += page.Count;
            progress?.Report(new RebuildProgress(position, head, processed / Math.Max(0.001, clock.Elapsed.TotalSeconds)));
        }
    }

    private async Task AppendMarkersAsync(IEnumerable<ReadModelSwapRequested> markers, CancellationToken cancellationToken)
    {
        await using var session = _store.LightweightSession();
        var events = markers.Cast<object>().ToArray();
        if (_store.Options.Events.StreamIdentity == StreamIdentity.AsString)
            session.Events.StartStream("projections-rebuild-" + Guid.NewGuid().ToString("N"), events);
        else
            session.Events.StartStream(Guid.NewGuid(), events);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A finished rebuild pass: the version built and the sequence it is complete through.</summary>
public sealed record RebuildResult(string Projection, int Version, long BuiltThrough);
