using System.Diagnostics;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Rebuild;
using EventSourcing.Projections.Sinks;
using Marten;
using Npgsql;

namespace EventSourcing.Projections.Verification;

/// <summary>
/// Checks a read model against the log: folds the committed events up to the projection's checkpoint (read once, at
/// the start) through the projection's own definition, reads every document of the live version from the sink, and
/// compares each document's fields and version. Safe against a running daemon: documents whose version is newer than
/// the checkpoint changed while the verify ran and are left out, and a document the fold has but the read model lacks
/// counts as missing only if no event after the checkpoint touched it (a deletion leaves no marker in Elasticsearch).
/// Reads only: nothing is written anywhere.
/// </summary>
public sealed class ProjectionVerifier
{
    private readonly IDocumentStore _store;
    private readonly ProjectionRuntime _runtime;
    private readonly ProjectionCatalog _catalog;
    private readonly NpgsqlDataSource _dataSource;

    public ProjectionVerifier(IDocumentStore store, ProjectionRuntime runtime, ProjectionCatalog catalog, ProjectionsDataSource dataSource)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _dataSource = (dataSource ?? throw new ArgumentNullException(nameof(dataSource))).DataSource;
    }

    /// <param name="maxDifferences">How many differing documents to describe (all are counted).</param>
    /// <param name="pageSize">Events per page of the fold, documents per page of the sink read.</param>
    public async Task<VerificationReport> VerifyAsync(
        string name, int maxDifferences, int pageSize, IProgress<VerificationProgress>? progress, CancellationToken cancellationToken)
    {
        var projection = _catalog.Get(name);
        if (maxDifferences < 0)
            throw new ArgumentOutOfRangeException(nameof(maxDifferences), maxDifferences, "the number of differences to show must be 0 or more");
        if (pageSize < 1)
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "the page size must be 1 or more");

        // The checkpoint first, then the live version: a swap in between only moves readers to a version that is at
        // least as far as the checkpoint, so every event up to it is in the version read.
        var checkpoint = await CheckpointAsync(projection.Name, cancellationToken).ConfigureAwait(false);
        var live = await _runtime.Sink.LiveVersionAsync(projection.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"read model '{projection.Name}' has no live version yet: start the daemon once, then verify");
        var (expected, folded, failed) = await FreshFold.RunAsync(_store, projection, checkpoint, pageSize, progress, cancellationToken).ConfigureAwait(false);

        var comparison = new Comparison(projection.DocumentType, maxDifferences);
        var total = expected.Count;
        var clock = Stopwatch.StartNew();
        await foreach (var stored in _runtime.Sink.ReadAllAsync(ReadModelTarget.For(projection, live), pageSize, cancellationToken).ConfigureAwait(false))
        {
            var had = expected.Remove(stored.Key, out var fold);
            if (stored.Version > checkpoint)
                comparison.ChangedSinceCheckpoint++;
            else
                comparison.Compare(stored.Key, had ? fold : null, stored);
            if (++comparison.Read % pageSize == 0)
                progress?.Report(new VerificationProgress("compare", comparison.Read, Math.Max(total, comparison.Read), comparison.Read / Math.Max(0.001, clock.Elapsed.TotalSeconds)));
        }

        var unseen = expected.Where(e => e.Value.Document is not null).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        if (unseen.Count > 0)
        {
            var head = await HeadAsync(cancellationToken).ConfigureAwait(false);
            var touched = await FreshFold.KeysTouchedAsync(_store, projection, checkpoint, head, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var (key, fold) in unseen)
            {
                if (touched.Contains(key))
                    comparison.ChangedSinceCheckpoint++;
                else
                    comparison.Compare(key, fold, null);
            }
        }

        progress?.Report(new VerificationProgress("compare", comparison.Read, Math.Max(total, comparison.Read), comparison.Read / Math.Max(0.001, clock.Elapsed.TotalSeconds)));
        var deadLetters = await _runtime.Store.CountDeadLettersAsync(projection.Name, cancellationToken).ConfigureAwait(false);
        return new VerificationReport(projection.Name, live, checkpoint, folded, failed, deadLetters, comparison.Compared,
            comparison.Missing, comparison.Extra, comparison.Different, comparison.ChangedSinceCheckpoint, comparison.Differences);
    }

    private async Task<long> HeadAsync(CancellationToken cancellationToken)
    {
        await using var session = _store.QuerySession();
        return await EventPager.HeadAsync(session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The projection's checkpoint in Marten's progression table (0 before its first batch).</summary>
    private async Task<long> CheckpointAsync(string projection, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"select last_seq_id from {_store.Options.Events.DatabaseSchemaName}.mt_event_progression where name = $1");
        command.Parameters.AddWithValue(projection + ":All");
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long? ?? 0;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }
}
