namespace EventSourcing.Projections.Sinks;

/// <summary>
/// Where read-model documents live. One instance serves every read model; each read-model version
/// is a separate physical target (an index or a table) and readers go through a stable alias or view.
/// Idempotency is the sink's job: a document is written only when the change's <see cref="DocumentChange.Version"/>
/// is greater than or equal to the stored one (Elasticsearch <c>version_type=external_gte</c>), so replays
/// and duplicates are no-ops and the log can always be re-run.
/// </summary>
public interface IReadModelSink
{
    /// <summary>A short name for logs and status, e.g. <c>postgres</c> or <c>elasticsearch</c>.</summary>
    string Kind { get; }

    /// <summary>Creates the physical target of one version if it does not exist (idempotent); applies mappings and settings.</summary>
    Task PrepareAsync(ReadModelTarget target, CancellationToken cancellationToken);

    /// <summary>Loads the current documents of one version for a set of keys (called once per batch). Absent keys are not in the result.</summary>
    Task<IReadOnlyDictionary<string, StoredDocument>> LoadAsync(
        ReadModelTarget target, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Writes a batch of changes in one bulk call; returns one outcome per change, in order.</summary>
    Task<IReadOnlyList<WriteOutcome>> WriteAsync(
        ReadModelTarget target, IReadOnlyList<DocumentChange> changes, SinkWriteContext context, CancellationToken cancellationToken);

    /// <summary>Points the read model's alias or view at this version, atomically.</summary>
    Task SwapAsync(ReadModelTarget target, CancellationToken cancellationToken);

    /// <summary>The version the alias or view points at, or null when the read model was never swapped in.</summary>
    Task<int?> LiveVersionAsync(string readModel, CancellationToken cancellationToken);

    /// <summary>Loads documents through the alias or view, as readers see them.</summary>
    Task<IReadOnlyDictionary<string, StoredDocument>> LoadLiveAsync(
        ReadModelTarget readModel, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Drops the physical target of one version (never the live one). Idempotent.</summary>
    Task RetireAsync(ReadModelTarget target, CancellationToken cancellationToken);

    /// <summary>
    /// Reads every document of one version, <paramref name="pageSize"/> at a time, each exactly once, with its version;
    /// deletion markers too (<see cref="StoredDocument.Document"/> null) where the sink keeps them. The pages are not
    /// one snapshot: a document may be newer than the read's start. <c>projections verify</c> reads a read model with it.
    /// </summary>
    IAsyncEnumerable<StoredDocument> ReadAllAsync(ReadModelTarget target, int pageSize, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"the {Kind} sink cannot list its documents, so its read models cannot be verified");
}
