namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>What to do with one item of a bulk response.</summary>
internal enum BulkItemVerdict
{
    /// <summary>2xx: written.</summary>
    Written,

    /// <summary>409 version conflict: Elasticsearch already holds a newer version; success.</summary>
    AlreadyApplied,

    /// <summary>429 or 5xx: retry this item after a backoff.</summary>
    Retry,

    /// <summary>Any other 4xx: the document is refused; dead-letter its events with the reason.</summary>
    Rejected,
}

internal static class BulkItemClassifier
{
    public static BulkItemVerdict Classify(BulkResponseItem item, bool isDelete) => item.Status switch
    {
        >= 200 and < 300 => BulkItemVerdict.Written,
        // A delete of a document that is not there: the state we wanted (with external versioning
        // Elasticsearch also records the version, so an older index cannot resurrect it).
        404 when isDelete && item.ErrorType is null => BulkItemVerdict.Written,
        409 => BulkItemVerdict.AlreadyApplied,
        429 or >= 500 => BulkItemVerdict.Retry,
        _ => BulkItemVerdict.Rejected,
    };
}
