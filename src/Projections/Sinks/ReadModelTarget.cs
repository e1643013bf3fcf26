using EventSourcing.Projections.Definitions;

namespace EventSourcing.Projections.Sinks;

/// <summary>One version of one read model: what a sink needs to create and address it.</summary>
public sealed record ReadModelTarget(string ReadModel, int Version, Type DocumentType, SearchIndexDefinition? SearchIndex = null)
{
    /// <summary>The versioned physical name, <c>{read model}_v{version}</c> (table or index).</summary>
    public string PhysicalName => ProjectionNames.Versioned(ReadModel, Version);

    public static ReadModelTarget For(IReadModelProjection projection, int? version = null)
    {
        ArgumentNullException.ThrowIfNull(projection);
        return new ReadModelTarget(projection.Name, version ?? projection.Version, projection.DocumentType, projection.SearchIndex);
    }
}
