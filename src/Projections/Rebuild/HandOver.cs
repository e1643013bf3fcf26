using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Sinks;
using Marten;

namespace EventSourcing.Projections.Rebuild;

/// <summary>
/// The step shared by both places a rebuilt version is swapped in (the live subscription's batch and an idle
/// daemon's swap, <see cref="IdleSwap"/>): bring the rebuilt version from the sequence its pass is complete
/// through up to the live checkpoint, straight from the log. Writes are idempotent (a document's version
/// guards it), so a crash in the middle only means the next attempt re-applies what was already there.
/// </summary>
internal static class HandOver
{
    /// <summary>Applies every event of the projection in (<paramref name="after"/>, <paramref name="through"/>] to
    /// <paramref name="target"/>; returns the dead letters it raised (stored, and counted on the swap).</summary>
    public static async Task<int> CatchUpAsync(
        ProjectionRuntime runtime, IReadModelProjection projection, ReadModelTarget target, IQuerySession session,
        long after, long through, CancellationToken cancellationToken)
    {
        var deadLetters = 0;
        while (after < through)
        {
            var page = await EventPager.PageAsync(session, after, through, runtime.Options.BatchSize, null, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
                break;
            var handled = page.Where(e => projection.EventTypes.Contains(e.Data.GetType())).ToList();
            if (handled.Count > 0)
            {
                var result = await runtime.Processor.ProcessAsync(projection, target, handled, SinkWriteContext.Direct, reapply: false, cancellationToken)
                    .ConfigureAwait(false);
                await runtime.Store.AddDeadLettersAsync(result.DeadLetters, cancellationToken).ConfigureAwait(false);
                deadLetters += result.DeadLetters.Count;
            }

            after = page[^1].Sequence;
        }

        return deadLetters;
    }
}
