using EventSourcing.SchemaTools.Generation;

namespace EventSourcing.SchemaTools.Catalog;

public static class CurrentSchemas
{
    /// <summary>The generated schema of each event type.</summary>
    public static IReadOnlyList<CurrentSchema> From(IEnumerable<EventType> events) =>
        events.Select(e => new CurrentSchema(AvroNaming.FullName(e.Name), e.Name, e.Version, e.ClrType, AvroSchemaGenerator.Generate(e)))
            .OrderBy(s => s.Subject, StringComparer.Ordinal)
            .ToList();
}
