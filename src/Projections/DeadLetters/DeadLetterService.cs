using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks;
using Marten;

namespace EventSourcing.Projections.DeadLetters;

/// <summary>
/// Retries or discards dead letters. A retry reads the event again through Marten (so upcasters apply),
/// applies it with the current projection code to the current document of the live version, and
/// removes the dead letter only when it now succeeds.
/// </summary>
public sealed class DeadLetterService
{
    private readonly IDocumentStore _store;
    private readonly ProjectionRuntime _runtime;
    private readonly ProjectionCatalog _catalog;

    public DeadLetterService(IDocumentStore store, ProjectionRuntime runtime, ProjectionCatalog catalog)
    {
        _store = store;
        _runtime = runtime;
        _catalog = catalog;
    }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(string? projection, CancellationToken cancellationToken)
    {
        if (projection is not null)
            _catalog.Get(projection);
        await _runtime.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await _runtime.Store.ListDeadLettersAsync(projection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Retries the dead letters of a projection (all, or one sequence); returns those that failed again.</summary>
    public async Task<RetryResult> RetryAsync(string projection, long? sequence, CancellationToken cancellationToken)
    {
        var definition = _catalog.Get(projection);
        var letters = (await ListAsync(projection, cancellationToken).ConfigureAwait(false))
            .Where(d => sequence is null || d.Sequence == sequence).ToList();
        var sequences = letters.Select(d => d.Sequence).ToArray();
        await using var session = _store.QuerySession();
        var events = (await session.Events.QueryAllRawEvents().Where(e => e.Sequence.IsOneOf(sequences))
                .OrderBy(e => e.Sequence).ToListAsync(cancellationToken).ConfigureAwait(false))
            .SelectMany(e => e.Expand()).ToList();

        var version = await _runtime.LiveVersionAsync(definition, cancellationToken).ConfigureAwait(false);
        var target = ReadModelTarget.For(definition, version);
        var failed = new List<DeadLetter>();
        foreach (var e in events)
        {
            var result = await _runtime.Processor.ProcessAsync(definition, target, [e], SinkWriteContext.Direct, reapply: true, cancellationToken)
                .ConfigureAwait(false);
            if (result.DeadLetters.Count > 0)
            {
                failed.AddRange(result.DeadLetters);
                await _runtime.Store.AddDeadLettersAsync(result.DeadLetters, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _runtime.Store.RemoveDeadLetterAsync(projection, e.Sequence, cancellationToken).ConfigureAwait(false);
            }
        }

        return new RetryResult(events.Count - failed.Count, failed);
    }

    /// <summary>Discards dead letters (all of a projection, or one sequence); returns how many.</summary>
    public async Task<int> DiscardAsync(string projection, long? sequence, CancellationToken cancellationToken)
    {
        var letters = (await ListAsync(projection, cancellationToken).ConfigureAwait(false))
            .Where(d => sequence is null || d.Sequence == sequence).ToList();
        foreach (var d in letters)
            await _runtime.Store.RemoveDeadLetterAsync(projection, d.Sequence, cancellationToken).ConfigureAwait(false);
        return letters.Count;
    }
}

public sealed record RetryResult(int Succeeded, IReadOnlyList<DeadLetter> Failed);
