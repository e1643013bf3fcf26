namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// The writes of one bulk call as the body writer and the result handling read them, by position: a view over
/// the caller's own list, so a batch is never copied into per-item objects. A null document is a delete.
/// </summary>
internal interface IBulkWrites
{
    int Count { get; }

    string IdAt(int position);

    object? DocumentAt(int position);

    long VersionAt(int position);
}

/// <summary><see cref="DocumentWrite{TDocument}"/>s as <see cref="IBulkWrites"/>.</summary>
internal sealed class DocumentWrites<TDocument>(IReadOnlyList<DocumentWrite<TDocument>> writes) : IBulkWrites
    where TDocument : class
{
    public int Count => writes.Count;

    public string IdAt(int position) => writes[position].Id;

    public object? DocumentAt(int position) => writes[position].Document;

    public long VersionAt(int position) => writes[position].Version;
}

/// <summary>The sink's <see cref="DocumentChange"/>s as <see cref="IBulkWrites"/>.</summary>
internal sealed class DocumentChanges(IReadOnlyList<DocumentChange> changes) : IBulkWrites
{
    public int Count => changes.Count;

    public string IdAt(int position) => changes[position].Key;

    public object? DocumentAt(int position) => changes[position].Document;

    public long VersionAt(int position) => changes[position].Version;
}
