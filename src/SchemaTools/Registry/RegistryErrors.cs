using System.Net;
using Confluent.SchemaRegistry;

namespace EventSourcing.SchemaTools.Registry;

using Compatibility = Confluent.SchemaRegistry.Compatibility;

/// <summary>
/// The errors of the embedded registry, with the status and error codes of Confluent's REST API, so
/// code written against <see cref="CachedSchemaRegistryClient"/> handles both the same way.
/// </summary>
internal static class RegistryErrors
{
    public static SchemaRegistryException SubjectNotFound(string subject) =>
        new($"Subject '{subject}' not found.", HttpStatusCode.NotFound, 40401);

    public static SchemaRegistryException VersionNotFound(string subject, int version) =>
        new($"Version {version} not found for subject '{subject}'.", HttpStatusCode.NotFound, 40402);

    public static SchemaRegistryException SchemaNotFound(string what) =>
        new($"Schema not found: {what}.", HttpStatusCode.NotFound, 40403);

    public static SchemaRegistryException Incompatible(string subject, Compatibility level, IReadOnlyList<string> violations) =>
        new($"Schema being registered is incompatible with an earlier schema for subject '{subject}' under {RegistryLevelNames.ToWireName(level)}: " +
            string.Join("; ", violations), HttpStatusCode.Conflict, 409);

    public static SchemaRegistryException InvalidSchema(string subject, string reason) =>
        new($"Invalid schema for subject '{subject}': {reason}", (HttpStatusCode)422, 42201);

    public static SchemaRegistryException InvalidSubject(string? subject) =>
        new($"Invalid subject '{subject}': a subject is a non-empty name.", (HttpStatusCode)422, 42208);
}
