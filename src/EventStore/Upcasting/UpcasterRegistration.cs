using System.Text.Json.Nodes;

namespace EventSourcing.EventStore.Upcasting;

/// <summary>A stable event name at a schema version, as an upcaster produces it.</summary>
public sealed record UpcastTarget(string Name, int Version);

/// <summary>A payload produced by an upcaster step, with the name and version it now has.</summary>
public sealed record UpcastedPayload(string Name, int Version, JsonObject Payload);

/// <summary>
/// One upcaster step: stored events named <see cref="FromName"/> at <see cref="FromVersion"/> become
/// the payloads <see cref="Transform"/> returns (one for a version step or a rename, one or more for a
/// split, marked by <see cref="IsSplit"/>).
/// Steps chain until every payload reaches a registered type at its current version.
/// </summary>
public sealed record UpcasterRegistration(
    string FromName,
    int FromVersion,
    IReadOnlyList<UpcastTarget> Targets,
    Func<JsonObject, IReadOnlyList<UpcastedPayload>> Transform,
    bool IsSplit = false)
{
    /// <summary>The type name this step reads from the event log.</summary>
    public string StoredName => Naming.StoredEventName.Format(FromName, FromVersion);
}
