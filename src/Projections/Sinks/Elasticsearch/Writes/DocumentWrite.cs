namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// One document change for a bulk call: index <see cref="Document"/> under <see cref="Id"/>, or delete it when
/// <see cref="Document"/> is null. <see cref="Version"/> is the global sequence of the last event applied to the
/// document and is sent as an external version, so a replay or a duplicate never overwrites newer state.
/// </summary>
public sealed record DocumentWrite<TDocument>(string Id, TDocument? Document, long Version)
    where TDocument : class
{
    public bool IsDelete => Document is null;
}

/// <summary>A document Elasticsearch refused (4xx other than 409/429): the daemon dead-letters its events.</summary>
public sealed record RejectedWrite(string Id, long Version, int Status, string ErrorType, string Reason);

/// <summary>What a bulk write achieved once every retryable item was retried.</summary>
public sealed record BulkWriteResult(int Written, int AlreadyApplied, IReadOnlyList<RejectedWrite> Rejected, int Attempts)
{
    public static BulkWriteResult Empty { get; } = new(0, 0, [], 0);
}
