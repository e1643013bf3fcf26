namespace EventSourcing.Projections.Definitions;

/// <summary>
/// A read-model projection as the daemon and the sinks see it: a name, a version, the document type,
/// the event types it handles, how to find a document's key and how to apply an event. Pure: no I/O.
/// Implement it by deriving from <see cref="ReadModelProjection{TDocument}"/>.
/// </summary>
public interface IReadModelProjection
{
    /// <summary>Stable name, lower case (<c>[a-z][a-z0-9_]*</c>), e.g. <c>order_search</c>.</summary>
    string Name { get; }

    /// <summary>The read-model version the code builds (1 or more). A new version is built beside the old one.</summary>
    int Version { get; }

    Type DocumentType { get; }

    IReadOnlyCollection<Type> EventTypes { get; }

    /// <summary>Elasticsearch mappings and settings, plain JSON, or null for the defaults.</summary>
    SearchIndexDefinition? SearchIndex { get; }

    /// <summary>The key of the document an event changes. Throws <see cref="ProjectionException"/> on a missing key.</summary>
    string KeyOf(ProjectedEvent @event);

    /// <summary>Applies an event to a document (null when absent); returns the new document, or null to delete it.</summary>
    object? Apply(object? document, ProjectedEvent @event);
}
