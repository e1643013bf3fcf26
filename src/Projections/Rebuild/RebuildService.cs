using System.Diagnostics;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks;
using Marten;

namespace EventSourcing.Projections.Rebuild;

/// <summary>
/// Zero-downtime rebuild: builds version N+1 of one or more read models in one pass over the log, in
/// bounded pages, while version N keeps serving and receiving live updates. The pass never reads past
/// Marten's high-water mark, so no event at or below the sequence it is complete through can still commit
/// (reading up to the newest sequence instead loses every event whose transaction commits after a later one).
/// It then records the swap request in <c>projection_state</c> (the event log holds domain events only); the
/// live subscription catches N+1 up from there to its checkpoint and swaps it in with that checkpoint, or,
/// when the daemon is idle, <see cref="IdleSwap"/> does. Only read models are written: no other side effect runs.
/// </summary>
public sealed class RebuildService
{
    private readonly IDocumentStore _store;
    private readonly ProjectionRuntime _runtime;
    private readonly ProjectionCatalog _catalog;
    private readonly IdleSwap _idle;

    public RebuildService(IDocumentStore store, ProjectionRuntime runtime, ProjectionCatalog catalog, ProjectionsDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _store = store;
        _runtime = runtime;
        _catalog = catalog;
        _idle = new IdleSwap(runtime, store, dataSource.DataSource);
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
            var live = await _runtime.Sink.LiveVersionAsync(projection.Name, cancellationToken).ConfigureAwait(false) ?? 0;
            var pending = (await _runtime.Store.GetStateAsync(projection.Name, cancellationToken).ConfigureAwait(false)).PendingSwap?.Version ?? 0;
            // never the version of a request still pending: the daemon may be swapping that one in right now
            var target = ReadModelTarget.For(projection, Math.Max(Math.Max(live, pending) + 1, projection.Version));
            await _runtime.Sink.RetireAsync(target, cancellationToken).ConfigureAwait(false);
            await _runtime.Sink.PrepareAsync(target, cancellationToken).ConfigureAwait(false);
            targets.Add(target);
        }

        var builtThrough = await PassAsync(projections, targets, progress, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < projections.Count; i++)
        {
            await _runtime.Store.RequestSwapAsync(projections[i].Name, targets[i].Version, builtThrough, cancellationToken).ConfigureAwait(false);
            await _idle.TrySwapAsync(projections[i], cancellationToken).ConfigureAwait(false);
        }

        return targets.Select(t => new RebuildResult(t.ReadModel, t.Version, builtThrough)).ToList();
    }

    /// <summary>
    /// Waits until the rebuilt version is live: swapped by the live subscription at its next batch, or here when
    /// the daemon is idle. Fails when a later rebuild replaced the request.
    /// </summary>
    public async Task WaitForSwapAsync(RebuildResult rebuild, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rebuild);
        var projection = _catalog.Get(rebuild.Projection);
        while (await _runtime.Sink.LiveVersionAsync(rebuild.Projection, cancellationToken).ConfigureAwait(false) is var live && live < rebuild.Version)
        {
            var pending = (await _runtime.Store.GetStateAsync(rebuild.Projection, cancellationToken).ConfigureAwait(false)).PendingSwap;
            if (pending?.Version != rebuild.Version && await _runtime.Sink.LiveVersionAsync(rebuild.Projection, cancellationToken).ConfigureAwait(false) < rebuild.Version)
                throw new InvalidOperationException(
                    $"version {rebuild.Version} of '{rebuild.Projection}' will not be swapped in: a later rebuild replaced its request (pending: version {pending?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})");
            if (!await _idle.TrySwapAsync(projection, cancellationToken).ConfigureAwait(false))
                await Task.Delay(_runtime.Options.PausePollInterval, _runtime.Clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<long> PassAsync(
        List<IReadModelProjection> projections, List<ReadModelTarget> targets, IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long position = 0, processed = 0;
        while (true)
        {
            await using var session = _store.QuerySession();
            var head = await SafeHeadAsync(session, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Marten's high-water mark: every sequence at or below it is committed or will never be. The newest sequence
    /// is not safe: a transaction that took a lower one may still commit after the pass went past it. A daemon that
    /// has just started may not have set the mark yet: wait for it, for a bounded time.
    /// </summary>
    private async Task<long> SafeHeadAsync(IQuerySession session, CancellationToken cancellationToken)
    {
        var deadline = _runtime.Clock.GetUtcNow() + NoMarkTimeout;
        while (true)
        {
            var mark = await _runtime.Store.HighWaterMarkAsync(_store.Options.Events.DatabaseSchemaName, cancellationToken).ConfigureAwait(false);
            if (mark > 0 || await EventPager.HeadAsync(session, cancellationToken).ConfigureAwait(false) == 0)
                return mark;
            if (_runtime.Clock.GetUtcNow() > deadline)
                throw new InvalidOperationException(
                    $"the event log has had no high-water mark for {NoMarkTimeout.TotalSeconds:0} s: start the projection daemon (it sets the mark and swaps the rebuilt version in), then rebuild again");
            await Task.Delay(_runtime.Options.PausePollInterval, _runtime.Clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan NoMarkTimeout = TimeSpan.FromSeconds(60);
}

/// <summary>A finished rebuild pass: the version built and the sequence it is complete through.</summary>
public sealed record RebuildResult(string Projection, int Version, long BuiltThrough);
