using EventSourcing.Projections.Sinks;

namespace EventSourcing.Projections.Tests.Support;

/// <summary>Wraps a real sink and fails every call while <see cref="Down"/> is set, like an unreachable server.</summary>
public sealed class FlakySink(IReadModelSink inner) : IReadModelSink
{
    public volatile bool Down;

    public string Kind => inner.Kind;

    private void ThrowIfDown()
    {
        if (Down)
            throw new SinkUnavailableException("connection refused (test: sink down)");
    }

    public Task PrepareAsync(ReadModelTarget target, CancellationToken cancellationToken) => inner.PrepareAsync(target, cancellationToken);

    public Task<IReadOnlyDictionary<string, StoredDocument>> LoadAsync(ReadModelTarget target, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.LoadAsync(target, keys, cancellationToken);
    }

    public Task<IReadOnlyList<WriteOutcome>> WriteAsync(ReadModelTarget target, IReadOnlyList<DocumentChange> changes, SinkWriteContext context, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.WriteAsync(target, changes, context, cancellationToken);
    }

    public Task SwapAsync(ReadModelTarget target, CancellationToken cancellationToken) => inner.SwapAsync(target, cancellationToken);

    public Task<int?> LiveVersionAsync(string readModel, CancellationToken cancellationToken) => inner.LiveVersionAsync(readModel, cancellationToken);

    public Task<IReadOnlyDictionary<string, StoredDocument>> LoadLiveAsync(ReadModelTarget readModel, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        inner.LoadLiveAsync(readModel, keys, cancellationToken);

    public Task RetireAsync(ReadModelTarget target, CancellationToken cancellationToken) => inner.RetireAsync(target, cancellationToken);
}
