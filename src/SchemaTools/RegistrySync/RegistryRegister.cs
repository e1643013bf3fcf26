using Confluent.SchemaRegistry;
using EventSourcing.SchemaTools.Catalog;

namespace EventSourcing.SchemaTools.RegistrySync;

/// <summary>The outcome of registering one catalog version.</summary>
public sealed record RegistrationOutcome(string Subject, int CatalogVersion, int SchemaId, int RegistryVersion, bool AlreadyRegistered);

/// <summary>
/// <c>register</c>: sets each subject's level and registers the catalog versions the registry does not
/// have yet, oldest first. Idempotent: a version the registry already holds is looked up, not re-registered.
/// </summary>
public static class RegistryRegister
{
    public static async Task<IReadOnlyList<RegistrationOutcome>> RunAsync(ISchemaRegistryClient client, SchemaCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(catalog);
        var outcomes = new List<RegistrationOutcome>();
        foreach (var subject in catalog.Subjects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await client.UpdateCompatibilityAsync(RegistryLevels.ToConfluent(subject.Compatibility), subject.Name);
            foreach (var version in subject.Versions)
            {
                var schema = new Schema(version.Schema, SchemaType.Avro);
                var existing = await Lookup(client, subject.Name, schema);
                if (existing is not null)
                {
                    outcomes.Add(new RegistrationOutcome(subject.Name, version.Version, existing.Id, existing.Version, AlreadyRegistered: true));
                    continue;
                }

                var id = await client.RegisterSchemaAsync(subject.Name, schema);
                var registered = await Lookup(client, subject.Name, schema);
                outcomes.Add(new RegistrationOutcome(subject.Name, version.Version, id, registered?.Version ?? 0, AlreadyRegistered: false));
            }
        }

        return outcomes;
    }

    private static async Task<RegisteredSchema?> Lookup(ISchemaRegistryClient client, string subject, Schema schema)
    {
        try
        {
            return await client.LookupSchemaAsync(subject, schema, ignoreDeletedSchemas: true);
        }
        catch (SchemaRegistryException e) when (e.ErrorCode is 40401 or 40403 || e.Status == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
