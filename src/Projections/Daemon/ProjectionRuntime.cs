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

    /// <summary>Blocks while an operator paused the projection (<c>projections pause</c>).</summary>
    public async Task<ProjectionState> WaitWhilePausedAsync(string projection, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var state = await Store.GetStateAsync(projection, cancellationToken).ConfigureAwait(false);
        while (state.Paused)
        {
            await Task.Delay(Options.PausePollInterval, Clock, cancellationToken).ConfigureAwait(false);
            state = await Store.GetStateAsync(projection, cancellationToken).ConfigureAwait(false);
        }

        return state;
    }

    /// <summary>Blocks while paused; then retires a replaced version whose rollback window passed. Returns the state read last.</summary>
    public async Task<ProjectionState> WaitWhilePausedAsync(IReadModelProjection projection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projection);
        var state = await WaitWhilePausedAsync(projection.Name, cancellationToken).ConfigureAwait(false);

        if (state is { RetiringVersion: { } old, RetireAt: { } at } && at <= Clock.GetUtcNow())
        {
            await Sink.RetireAsync(ReadModelTarget.For(projection, old), cancellationToken).ConfigureAwait(false);
            await Store.SetRetiringAsync(projection.Name, null, null, cancellationToken).ConfigureAwait(false);
        }

        return state;
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
