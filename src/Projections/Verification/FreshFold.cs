using System.Diagnostics;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Rebuild;
using Marten;

namespace EventSourcing.Projections.Verification;

/// <summary>A document as the fresh fold left it: null when an event deleted it, and the sequence of the last event applied.</summary>
internal readonly record struct FoldedDocument(object? Document, long Version);

/// <summary>
/// Folds the committed log up to a sequence through a projection's own definition, in memory, the way the daemon does:
/// in global order, upcast by Marten, an event whose key or apply throws is left out (the daemon dead-letters it) and
/// counted. Holds one document per key, so memory grows with the read model, not with the log.
/// </summary>
internal static class FreshFold
{
    public static async Task<(Dictionary<string, FoldedDocument> Documents, long Folded, long Failed)> RunAsync(
        IDocumentStore store, IReadModelProjection projection, long through, int pageSize,
        IProgress<VerificationProgress>? progress, CancellationToken cancellationToken)
    {
        var documents = new Dictionary<string, FoldedDocument>(StringComparer.Ordinal);
        long position = 0, read = 0, folded = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        await using var session = store.QuerySession();
        while (position < through)
        {
            var page = await EventPager.PageAsync(session, position, through, pageSize, null, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
                break;
            foreach (var e in page)
            {
                if (!projection.EventTypes.Contains(e.Data.GetType()))
                    continue;
                try
                {
                    var key = projection.KeyOf(e);
                    var current = documents.GetValueOrDefault(key);
                    documents[key] = new FoldedDocument(projection.Apply(current.Document, e), e.Sequence);
                    folded++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed++;
                }
            }

            position = page[^1].Sequence;
            read += page.Count;
            progress?.Report(new VerificationProgress("fold", position, through, read / Math.Max(0.001, clock.Elapsed.TotalSeconds)));
        }

        return (documents, folded, failed);
    }

    /// <summary>The keys the projection's events after <paramref name="after"/> (up to <paramref name="through"/>) touch.</summary>
    public static async Task<HashSet<string>> KeysTouchedAsync(
        IDocumentStore store, IReadModelProjection projection, long after, long through, int pageSize, CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using var session = store.QuerySession();
        while (after < through)
        {
            var page = await EventPager.PageAsync(session, after, through, pageSize, null, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
                break;
            foreach (var e in page.Where(e => projection.EventTypes.Contains(e.Data.GetType())))
            {
                try { keys.Add(projection.KeyOf(e)); }
                catch (ProjectionException) { /* no key: the event changes no document */ }
            }

            after = page[^1].Sequence;
        }

        return keys;
    }
}
