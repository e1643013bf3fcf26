namespace EventSourcing.Projections.Sinks;

/// <summary>A stored document and its version (the global sequence of the last event applied).</summary>
/// <param name="Document">The document, or null for a deletion marker a sink keeps to stay idempotent.</param>
public readonly record struct StoredDocument(string Key, object? Document, long Version);
