namespace EventSourcing.EventStore.Snapshots;

/// <summary>A snapshot row: the aggregate state (JSON) at <see cref="Version"/>, written by schema version <see cref="SchemaVersion"/>.</summary>
public sealed record StoredSnapshot(Guid StreamId, string Aggregate, int SchemaVersion, long Version, string StateJson, DateTimeOffset WrittenAt);
