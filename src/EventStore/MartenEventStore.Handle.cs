using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Deciders;
using EventSourcing.EventStore.Idempotency;
using EventSourcing.EventStore.Validation;

namespace EventSourcing.EventStore;

public sealed partial class MartenEventStore
{
    public Task<CommandResult<TState>> HandleAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, TCommand command,
        AppendOptions? options, CancellationToken ct) =>
        HandleCoreAsync(decider, streamId, command, ExpectedVersion.Any, options, ct);

    public Task<CommandResult<TState>> HandleAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, TCommand command,
        ExpectedVersion expected, AppendOptions? options, CancellationToken ct) =>
        HandleCoreAsync(decider, streamId, command, expected, options, ct);

    /// <summary>
    /// Load (or take the cached state), decide, append. With <paramref name="required"/> Any the loaded version is
    /// the expected version and a conflict is retried; otherwise the decision must be made at exactly that
    /// version, and any other version, before or at the append, is a <see cref="ConcurrencyException"/> (no retry).
    /// With an idempotency key, a failure of any kind is answered with the key's first result when the key turns
    /// out to be stored by then (a duplicate won the race), so a duplicate never sees an error its twin caused.
    /// </summary>
    private async Task<CommandResult<TState>> HandleCoreAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, TCommand command,
        ExpectedVersion required, AppendOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decider);
        ArgumentNullException.ThrowIfNull(command);
        AppendValidator.StreamId(streamId);
        options ??= AppendOptions.None;
        AppendValidator.IdempotencyKey(options.IdempotencyKey);
        var hash = options.IdempotencyKey is null
            ? null
            : IdempotencyStore.Hash(System.Text.Encoding.UTF8.GetBytes(typeof(TCommand).FullName + "\n" + _serializer.ToJson(command)));

        if (options.IdempotencyKey is not { } key)
            return await DecideAndAppendAsync(decider, streamId, command, required, options, null, ct).ConfigureAwait(false);
        if (await _idempotency.FindAsync(key, ct).ConfigureAwait(false) is { } seen)
            return await AlreadyAppliedAsync(decider, Replay(seen, streamId, hash!), ct).ConfigureAwait(false);

        try
        {
            return await DecideAndAppendAsync(decider, streamId, command, required, options, hash, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (IdempotencyKeyReusedException or OperationCanceledException))
        {
            // A duplicate of this command that committed after the look-up above changed the state this one decided
            // on: the decider refused (e.g. "already paid"), the expected version moved, or the retries ran out. The
            // winner's key committed with its events, so it is visible now: answer with its result, never with an
            // error caused by our own earlier request.
            var winner = await FindAfterFailureAsync(key, e, ct).ConfigureAwait(false);
            if (winner is null)
                throw;
            return await AlreadyAppliedAsync(decider, Replay(winner, streamId, hash!), ct).ConfigureAwait(false);
        }
    }

    /// <summary>The key's record after a failed decide or append; a failing look-up rethrows the original failure.</summary>
    private async Task<IdempotencyRecord?> FindAfterFailureAsync(string key, Exception failure, CancellationToken ct)
    {
        try
        {
            return await _idempotency.FindAsync(key, ct).ConfigureAwait(false);
        }
        catch (Exception lookup) when (lookup is not OperationCanceledException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            throw;
        }
    }

    private async Task<CommandResult<TState>> DecideAndAppendAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, TCommand command,
        ExpectedVersion required, AppendOptions options, string? hash, CancellationToken ct)
    {
        var strict = required.Kind != ExpectedVersionKind.Any;
        var cacheKey = (decider.Name, streamId);
        for (var attempt = 0; ;)
        {
            // a state cached by an earlier command saves the load; a stale one shows up as a conflict below.
            // One at another version than required proves nothing (the stream may have moved on to it): load.
            var fromCache = _stateCache.TryGet(cacheKey, out var cached) && cached.State is TState
                && (!strict || cached.Version == required.Value);
            var loaded = fromCache
                ? new LoadedAggregate<TState>(streamId, (TState)cached.State!, cached.Version, 0, null)
                : await LoadAsync(decider, streamId, ct).ConfigureAwait(false);
            if (strict && loaded.Version != required.Value)
                throw new ConcurrencyException(streamId, required, loaded.Version);
            IReadOnlyList<object> events;
            try
            {
                events = decider.Decide(command, loaded.State)
                    ?? throw new InvalidOperationException($"decider '{decider.Name}' returned null instead of an event list");
            }
            catch (Exception) when (fromCache)
            {
                // a rule violation on a cached state may be stale: decide again on a fresh load
                _stateCache.Remove(cacheKey);
                continue;
            }

            if (events.Count == 0)
            {
                if (fromCache)
                {
                    // deciding nothing on a cached state proves nothing: decide again on a fresh load
                    _stateCache.Remove(cacheKey);
                    continue;
                }

                return new CommandResult<TState>(streamId, loaded.State, loaded.Version, [], 0, 0, AlreadyApplied: false);
            }

            _validator.Events(events);

            var expected = strict ? required : ExpectedVersion.Exact(loaded.Version);
            AppendResult appended;
            try
            {
                appended = await AppendCoreAsync(streamId, events, expected, options, hash, typeof(TState), keyChecked: true, ct).ConfigureAwait(false);
            }
            catch (ConcurrencyException) when (!strict && (fromCache || attempt < _options.MaxCommandRetries))
            {
                _stateCache.Remove(cacheKey);
                if (!fromCache)
                    attempt++;
                continue;
            }
            catch
            {
                _stateCache.Remove(cacheKey);
                throw;
            }

            if (appended.AlreadyApplied)
                return await AlreadyAppliedAsync(decider, appended, ct).ConfigureAwait(false);

            var state = decider.Fold(loaded.State, events);
            _stateCache.Set(cacheKey, (state, appended.LastVersion));
            var registration = _options.Snapshots.Find(decider.Name);
            if (registration is not null)
                ConsiderSnapshot(registration, streamId, appended.LastVersion, loaded.SnapshotVersion ?? 0, state, forced: false);
            return new CommandResult<TState>(streamId, state, appended.LastVersion, events, appended.FirstVersion, appended.LastVersion, AlreadyApplied: false);
        }
    }

    private async Task<CommandResult<TState>> AlreadyAppliedAsync<TState, TCommand>(Decider<TState, TCommand> decider, AppendResult first, CancellationToken ct)
    {
        var state = await LoadAtVersionAsync(decider, first.StreamId, first.LastVersion, ct).ConfigureAwait(false);
        var (events, _) = await _reader.ReadStreamAsync(first.StreamId, first.FirstVersion, first.LastVersion, null, ct).ConfigureAwait(false);
        return new CommandResult<TState>(first.StreamId, state.State, first.LastVersion, events.Select(e => e.Data).ToArray(),
            first.FirstVersion, first.LastVersion, AlreadyApplied: true);
    }
}
