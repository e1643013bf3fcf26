namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// One document change for a bulk call: index <see cref="Document"/> under <see cref="Id"/>, or delete it when
/// <see cref="Document"/> is null. <see cref="Version"/> is the global sequence of the last event applied to the
/// document and is sent as an external version (<c>external_gte</c>), so a replay or a duplicate never overwrites
/// newer state, while a re-projection of the same events (same version) replaces the document.
/// </summary>
public sealed record DocumentWrite<TDocument>(string Id, TDocument? Document, long Version)
    where TDocument : class
{
    public bool IsDelete => Document is null;
}

/// <summary>What became of one write.</summary>
public enum BulkWriteStatus
{
    /// <summary>Indexed or deleted (a delete of a missing document counts: it is gone).</summary>
    Written,

    /// <summary>409: Elasticsearch holds a newer version of the document; nothing to do.</summary>
    AlreadyApplied,

    /// <summary>Refused with a 4xx other than 409/429; dead-letter the events with <see cref="BulkItemOutcome.Reason"/>.</summary>
    Rejected,
}

/// <summary>
/// The outcome of one write, in the order of the writes. <see cref="HttpStatus"/> is the item's status; when the
/// response said <c>"errors": false</c> the items are not read one by one and a written item reports 200.
/// </summary>
public sealed record BulkItemOutcome(string Id, long Version, BulkWriteStatus Status, int HttpStatus, string? ErrorType = null, string? Reason = null);

/// <summary>What a bulk write achieved once every retryable item was retried: one outcome per write, in order.</summary>
public sealed record BulkWriteResult(IReadOnlyList<BulkItemOutcome> Items, int Attempts)
{
    public static BulkWriteResult Empty { get; } = new([], 0);

    public int Written => Items.Count(i => i.Status == BulkWriteStatus.Written);

    public int AlreadyApplied => Items.Count(i => i.Status == BulkWriteStatus.AlreadyApplied);

    public IReadOnlyList<BulkItemOutcome> Rejected => Items.Where(i => i.Status == BulkWriteStatus.Rejected).ToList();
}
