using System.Collections.Concurrent;
using EventSourcing.EventStore;
using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Deciders;
using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Reading;

namespace EventSourcing.OrderDomain.Tests.Http;

/// <summary>
/// Makes a request slow in a way the test controls: the order service's real event store, except that a
/// command whose idempotency key the test holds stops at the gate (before or after the real append) until
/// the test releases it. Only the first command with that key stops; later ones pass straight through.
/// </summary>
public sealed class CommandGate
{
    private readonly ConcurrentDictionary<string, Hold> _holds = new(StringComparer.Ordinal);

    /// <summary>
    /// Holds the next command whose HTTP Idempotency-Key is <paramref name="idempotencyKey"/>; with
    /// <paramref name="failFirst"/> that command throws instead (an unexpected server error).
    /// </summary>
    public Hold Arm(string idempotencyKey, bool afterAppend = false, bool failFirst = false) =>
        _holds[idempotencyKey] = new Hold(afterAppend, failFirst);

    internal Hold? For(string? storeKey)
    {
        if (storeKey is null)
            return null;
        foreach (var (key, hold) in _holds)
        {
            // the sample scopes the store key to the order: "order:{id:N}:{http key}"
            if (storeKey.EndsWith(":" + key, StringComparison.Ordinal))
                return hold;
        }

        return null;
    }

    public sealed class Hold(bool afterAppend, bool failFirst)
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _commands;

        public bool AfterAppend => afterAppend;

        /// <summary>How many commands with the key reached the event store.</summary>
        public int Commands => Volatile.Read(ref _commands);

        public Task Entered => _entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        public void Release() => _released.TrySetResult();

        internal async Task PassAsync(CancellationToken ct)
        {
            if (Interlocked.Increment(ref _commands) != 1)
                return;
            if (failFirst)
                throw new InvalidOperationException("the test failed this command on purpose");
            _entered.TrySetResult();
            await _released.Task.WaitAsync(ct);
        }
    }
}

/// <summary>The real event store behind a <see cref="CommandGate"/>.</summary>
public sealed class GatedEventStore(IEventStore inner, CommandGate gate) : IEventStore
{
    public EventTypeRegistry Registry => inner.Registry;

    public Task<AppendResult> AppendAsync(Guid streamId, IReadOnlyList<object> events, ExpectedVersion expected, AppendOptions? options, CancellationToken ct) =>
        inner.AppendAsync(streamId, events, expected, options, ct);

    public Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<StreamAppend> appends, AppendOptions? options, CancellationToken ct) =>
        inner.AppendBatchAsync(appends, options, ct);

    public Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(Guid streamId, long fromVersion, CancellationToken ct) =>
        inner.ReadStreamAsync(streamId, fromVersion, ct);

    public Task<IReadOnlyList<EventEnvelope>> ReadAllAsync(long afterSequence, int maxCount, CancellationToken ct) =>
        inner.ReadAllAsync(afterSequence, maxCount, ct);

    public Task<LoadedAggregate<TState>> LoadAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, CancellationToken ct) =>
        inner.LoadAsync(decider, streamId, ct);

    public Task<LoadedAggregate<TState>> LoadAtVersionAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, long version, CancellationToken ct) =>
        inner.LoadAtVersionAsync(decider, streamId, version, ct);

    public Task<LoadedAggregate<TState>> LoadAtTimeAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, DateTimeOffset pointInTime, CancellationToken ct) =>
        inner.LoadAtTimeAsync(decider, streamId, pointInTime, ct);

    public Task<CommandResult<TState>> HandleAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, TCommand command,
        AppendOptions? options, CancellationToken ct) =>
        GatedAsync(options, () => inner.HandleAsync(decider, streamId, command, options, ct), ct);

    public Task<CommandResult<TState>> HandleAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, TCommand command,
        ExpectedVersion expected, AppendOptions? options, CancellationToken ct) =>
        GatedAsync(options, () => inner.HandleAsync(decider, streamId, command, expected, options, ct), ct);

    private async Task<T> GatedAsync<T>(AppendOptions? options, Func<Task<T>> handle, CancellationToken ct)
    {
        var hold = gate.For(options?.IdempotencyKey);
        if (hold is null)
            return await handle();
        if (!hold.AfterAppend)
            await hold.PassAsync(ct);
        var result = await handle();
        if (hold.AfterAppend)
            await hold.PassAsync(ct);
        return result;
    }
}
