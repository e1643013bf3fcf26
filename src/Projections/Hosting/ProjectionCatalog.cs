using EventSourcing.Projections.Definitions;

namespace EventSourcing.Projections.Hosting;

/// <summary>The projections registered in this host, by name.</summary>
public sealed class ProjectionCatalog
{
    public ProjectionCatalog(IEnumerable<IReadModelProjection> projections)
    {
        All = projections.ToList();
    }

    public IReadOnlyList<IReadModelProjection> All { get; }

    /// <summary>Finds a projection; an unknown name fails with the list of known ones.</summary>
    public IReadModelProjection Get(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"unknown projection '{name}'; known: {string.Join(", ", All.Select(p => p.Name))}", nameof(name));
}
