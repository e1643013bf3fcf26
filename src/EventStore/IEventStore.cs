using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Deciders;
using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Reading;

namespace EventSourcing.EventStore;

/// <summary>
/// The event store: append with optimistic concurrency and idempotency, load deciders (with snapshots
/// and time travel), read streams and the global log. Every method validates its input before any SQL
/// runs and honours its <see cref="CancellationToken"/>.
/// </summary>
public interface IEventStore
{
    /// <summary>The registered event types and upcasters.</summary>
    EventTypeRegistry Registry { get; }

    /// <summary>
    /// Appends <paramref name="events"/> to a stream in one transaction. Throws
    /// <see cref="ConcurrencyException"/> (writing nothing) when the stream is not at <paramref name="expected"/>.
    /// </summary>
    Task<AppendResult> AppendAsync(Guid streamId, IReadOnlyList<object> events, ExpectedVersion expected,
        AppendOptions? options, CancellationToken ct);

    /// <summary>
    /// Appends to several streams in ONE transaction (imports, tools, bulk loads): all or nothing. A conflict on
    /// any stream raises <see cref="ConcurrencyException"/> for it and writes nothing. No idempotency key.
    /// </summary>
    Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<StreamAppend> appends, AppendOptions? options, CancellationToken ct);

    /// <summary>Events of one stream with version &gt;= <paramref name="fromVersion"/>, in order (empty for a missing stream).</summary>
    Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(Guid streamId, long fromVersion, CancellationToken ct);

    /// <summary>Up to <paramref name="maxCount"/> stored events of all streams with global sequence &gt; <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<EventEnvelope>> ReadAllAsync(long afterSequence, int maxCount, CancellationToken ct);

    /// <summary>Current state of an aggregate: newest valid snapshot + the events after it.</summary>
    Task<LoadedAggregate<TState>> LoadAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, CancellationToken ct);

    /// <summary>State as it was right after <paramref name="version"/> (time travel).</summary>
    Task<LoadedAggregate<TState>> LoadAtVersionAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, long version, CancellationToken ct);

    /// <summary>State as it was at <paramref name="pointInTime"/>: every event with timestamp &lt;= it (time travel).</summary>
    Task<LoadedAggregate<TState>> LoadAtTimeAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, DateTimeOffset pointInTime, CancellationToken ct);

    /// <summary>
    /// Load, decide, append with the loaded version as expected version; on a conflict, reload and retry up
    /// to <see cref="EventStoreOptions.MaxCommandRetries"/> times, then rethrow the <see cref="ConcurrencyException"/>.
    /// Only for commands that are safe to re-decide. With an idempotency key, a repeated command returns the first result.
    /// </summary>
    Task<CommandResult<TState>> HandleAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, TCommand command,
        AppendOptions? options, CancellationToken ct);

    /// <summary>
    /// Load, decide, append, with the decision required to be made at <paramref name="expected"/> (an HTTP
    /// If-Match, a UI that showed version N): when the stream is at another version, before deciding or at the
    /// append, <see cref="ConcurrencyException"/> is thrown, nothing is written and nothing is retried.
    /// <see cref="ExpectedVersion.Any"/> behaves like the overload without it (retries on conflict). With an
    /// idempotency key, a repeated command returns the first result whatever the stream's version is now.
    /// </summary>
    Task<CommandResult<TState>> HandleAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, TCommand command,
        ExpectedVersion expected, AppendOptions? options, CancellationToken ct);
}
