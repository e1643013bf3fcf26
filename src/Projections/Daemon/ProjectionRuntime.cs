using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks;

namespace EventSourcing.Projections.Daemon;

/// <summary>Everything the subscriptions share in one host: options, sink, processor, store, health.</summary>
public sealed class ProjectionRuntime
{
    public ProjectionRuntime(ProjectionsOptions options, IReadModelSink sink, ProjectionStore store, ProjectionHealth health, TimeProvider clock)
    {
        Options = options;
        Sink = sink;
        Store = store;
        Health = health;
        Clock = clock;
        Processor = new BatchProcessor(sink, new SinkResilience(options, health), clock);
    }

    public ProjectionsOptions Options { get; }

    public IReadModelSink Sink { get; }

    public ProjectionStore Store { get; }

    public ProjectionHealth Health { get; }

    public TimeProvider Clock { get; }

    internal BatchProcessor Processor { get; }

    /// <summary>The version readers see; on first use the code's version is created and swapped in.</summary>
    public async Task<int> LiveVersionAsync(IReadModelProjection projection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projection);
        if (await Sink.LiveVersionAsync(projection.Name, cancellationToken).ConfigureAwait(false) is { } live)
            return live;
        var target = ReadModelTarget.For(projection);
        await Sink.PrepareAsync(target, cancellationToken).ConfigureAwait(false);
        await Sink.SwapAsync(target, cancellationToken).ConfigureAwait(false);
        return target.Version;
    }

    public async Task WaitWhilePausedAsync(string projection, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        while ((await Store.GetStateAsync(projection, cancellationToken).ConfigureAwait(false)).Paused)
            await Task.Delay(Options.PausePollInterval, Clock, cancellationToken).ConfigureAwait(false);
    }

    private readonly Lock _gate = new();
    private Task? _ready;

    /// <summary>Creates the daemon's tables once per host.</summary>
    public Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
                _ready = Store.EnsureSchemaAsync(cancellationToken);
            return _ready;
        }
    }
}
