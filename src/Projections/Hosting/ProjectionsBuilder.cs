using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Sinks;

namespace EventSourcing.Projections.Hosting;

/// <summary>What a host registers: the projections, the options and (optionally) a sink other than PostgreSQL.</summary>
public sealed class ProjectionsBuilder
{
    private readonly List<IReadModelProjection> _projections = [];

    public ProjectionsOptions Options { get; set; } = new();

    internal Func<IServiceProvider, IReadModelSink>? SinkFactory { get; private set; }

    public IReadOnlyList<IReadModelProjection> Projections => _projections;

    public ProjectionsBuilder Add(IReadModelProjection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        if (_projections.Any(p => p.Name == projection.Name))
            throw new InvalidOperationException($"a projection named '{projection.Name}' is already registered");
        _projections.Add(projection);
        return this;
    }

    public ProjectionsBuilder Add<TProjection>() where TProjection : IReadModelProjection, new() => Add(new TProjection());

    /// <summary>Uses another sink (e.g. Elasticsearch) instead of the embedded PostgreSQL sink.</summary>
    public ProjectionsBuilder UseSink(Func<IServiceProvider, IReadModelSink> factory)
    {
        SinkFactory = factory ?? throw new ArgumentNullException(nameof(factory));
        return this;
    }
}
