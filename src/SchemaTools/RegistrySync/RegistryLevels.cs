using Confluent.SchemaRegistry;
using EventSourcing.SchemaTools.Compatibility;

namespace EventSourcing.SchemaTools.RegistrySync;

public static class RegistryLevels
{
    public static Confluent.SchemaRegistry.Compatibility ToConfluent(CompatibilityLevel level) => level switch
    {
        CompatibilityLevel.None => Confluent.SchemaRegistry.Compatibility.None,
        CompatibilityLevel.Backward => Confluent.SchemaRegistry.Compatibility.Backward,
        CompatibilityLevel.BackwardTransitive => Confluent.SchemaRegistry.Compatibility.BackwardTransitive,
        CompatibilityLevel.Forward => Confluent.SchemaRegistry.Compatibility.Forward,
        CompatibilityLevel.ForwardTransitive => Confluent.SchemaRegistry.Compatibility.ForwardTransitive,
        CompatibilityLevel.Full => Confluent.SchemaRegistry.Compatibility.Full,
        _ => Confluent.SchemaRegistry.Compatibility.FullTransitive,
    };

    public static CompatibilityLevel FromConfluent(Confluent.SchemaRegistry.Compatibility level) => level switch
    {
        Confluent.SchemaRegistry.Compatibility.None => CompatibilityLevel.None,
        Confluent.SchemaRegistry.Compatibility.Backward => CompatibilityLevel.Backward,
        Confluent.SchemaRegistry.Compatibility.BackwardTransitive => CompatibilityLevel.BackwardTransitive,
        Confluent.SchemaRegistry.Compatibility.Forward => CompatibilityLevel.Forward,
        Confluent.SchemaRegistry.Compatibility.ForwardTransitive => CompatibilityLevel.ForwardTransitive,
        Confluent.SchemaRegistry.Compatibility.Full => CompatibilityLevel.Full,
        _ => CompatibilityLevel.FullTransitive,
    };

    /// <summary>The subject's level, or the registry's global level when the subject has none of its own.</summary>
    public static async Task<CompatibilityLevel> OfSubject(ISchemaRegistryClient client, string subject)
    {
        try
        {
            return FromConfluent(await client.GetCompatibilityAsync(subject));
        }
        catch (SchemaRegistryException e) when (e.ErrorCode is 40401 or 40408 || e.Status == System.Net.HttpStatusCode.NotFound)
        {
            return FromConfluent(await client.GetCompatibilityAsync());
        }
    }

    /// <summary>The subject's versions oldest first; none when the registry does not know the subject.</summary>
    public static async Task<IReadOnlyList<RegisteredSchema>> Versions(ISchemaRegistryClient client, string subject)
    {
        List<int> numbers;
        try
        {
            numbers = await client.GetSubjectVersionsAsync(subject);
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == 40401 || e.Status == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        var versions = new List<RegisteredSchema>();
        foreach (var number in numbers.Order())
            versions.Add(await client.GetRegisteredSchemaAsync(subject, number, ignoreDeletedSchemas: true));
        return versions;
    }
}
