using EventSourcing.EventStore.Deciders;
using EventSourcing.EventStore.Reading;
using EventSourcing.EventStore.Snapshots;
using EventSourcing.EventStore.Validation;
using Microsoft.Extensions.Logging;

namespace EventSourcing.EventStore;

public sealed partial class MartenEventStore
{
    public async Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(Guid streamId, long fromVersion, CancellationToken ct)
    {
        AppendValidator.StreamId(streamId);
        if (fromVersion < 0)
            throw new ArgumentOutOfRangeException(nameof(fromVersion), fromVersion, "from version must be 0 or more");
        var (events, _) = await _reader.ReadStreamAsync(streamId, fromVersion, 0, null, ct).ConfigureAwait(false);
        return events;
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadAllAsync(long afterSequence, int maxCount, CancellationToken ct)
    {
        if (afterSequence < 0)
            throw new ArgumentOutOfRangeException(nameof(afterSequence), afterSequence, "sequence must be 0 or more");
        if (maxCount is < 1 or > 100_000)
            throw new ArgumentOutOfRangeException(nameof(maxCount), maxCount, "max count must be between 1 and 100000");
        return _reader.ReadAllAsync(afterSequence, maxCount, ct);
    }

    public async Task<LoadedAggregate<TState>> LoadAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decider);
        AppendValidator.StreamId(streamId);
        var registration = _options.Snapshots.Find(decider.Name);
        var (state, snapshotVersion, stale) = await FindSnapshotAsync(decider, streamId, registration, maxVersion: 0, ct).ConfigureAwait(false);

        var (events, read) = await _reader.ReadStreamAsync(streamId, snapshotVersion + 1, 0, null, ct).ConfigureAwait(false);
        var version = snapshotVersion;
        foreach (var envelope in events)
        {
            state = decider.Evolve(state, envelope.Data);
            version = envelope.StreamVersion;
        }

        if (registration is not null && version > 0)
            ConsiderSnapshot(registration, streamId, version, stale ? 0 : snapshotVersion, state, forced: stale);

        return new LoadedAggregate<TState>(streamId, state, version, read, stale || snapshotVersion == 0 ? null : snapshotVersion);
    }

    public async Task<LoadedAggregate<TState>> LoadAtVersionAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, long version, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decider);
        AppendValidator.StreamId(streamId);
        if (version < 1)
            throw new ArgumentOutOfRangeException(nameof(version), version, "version to load must be 1 or more");
        var registration = _options.Snapshots.Find(decider.Name);
        var (state, snapshotVersion, _) = await FindSnapshotAsync(decider, streamId, registration, maxVersion: version, ct).ConfigureAwait(false);
        var (events, read) = await _reader.ReadStreamAsync(streamId, snapshotVersion + 1, version, null, ct).ConfigureAwait(false);
        var reached = snapshotVersion;
        foreach (var envelope in events)
        {
            state = decider.Evolve(state, envelope.Data);
            reached = envelope.StreamVersion;
        }

        return new LoadedAggregate<TState>(streamId, state, reached, read, snapshotVersion == 0 ? null : snapshotVersion);
    }

    public async Task<LoadedAggregate<TState>> LoadAtTimeAsync<TState, TCommand>(Decider<TState, TCommand> decider, Guid streamId, DateTimeOffset pointInTime, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decider);
        AppendValidator.StreamId(streamId);
        if (pointInTime == default)
            throw new ArgumentException("point in time must be set", nameof(pointInTime));
        var (events, read) = await _reader.ReadStreamAsync(streamId, 0, 0, pointInTime, ct).ConfigureAwait(false);
        var state = decider.Initial;
        long version = 0;
        foreach (var envelope in events)
        {
            state = decider.Evolve(state, envelope.Data);
            version = envelope.StreamVersion;
        }

        return new LoadedAggregate<TState>(streamId, state, version, read, null);
    }

    /// <summary>
    /// The newest snapshot of the current schema version (at or below <paramref name="maxVersion"/> when
    /// it is not 0), or the decider's initial state. <c>Stale</c> is true when a snapshot of another
    /// schema version was found and ignored.
    /// </summary>
    private async Task<(TState State, long Version, bool Stale)> FindSnapshotAsync<TState, TCommand>(
        Decider<TState, TCommand> decider, Guid streamId, SnapshotRegistration? registration, long maxVersion, CancellationToken ct)
    {
        if (registration is null || registration.Policy.IsOff)
            return (decider.Initial, 0, false);
        StoredSnapshot? snapshot = null;
        try
        {
            if (!_snapshotCache.TryGet((streamId, decider.Name), out var cached) || cached.SchemaVersion != registration.SchemaVersion
                || (maxVersion > 0 && cached.Version > maxVersion))
            {
                snapshot = await _snapshots.FindAsync(streamId, decider.Name, ct).ConfigureAwait(false);
                if (snapshot is not null)
                    CacheSnapshot(snapshot);
            }
            else
            {
                snapshot = cached;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // a snapshot is an optimisation: without one the aggregate loads from its events
            _logger.LogWarning(e, "reading the snapshot of {Aggregate} {StreamId} failed; loading from events", decider.Name, streamId);
            return (decider.Initial, 0, false);
        }

        if (snapshot is null)
            return (decider.Initial, 0, false);
        if (snapshot.SchemaVersion != registration.SchemaVersion)
            return (decider.Initial, 0, true);
        if (maxVersion > 0 && snapshot.Version > maxVersion)
            return (decider.Initial, 0, false);
        using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(snapshot.StateJson));
        var state = await _serializer.FromJsonAsync<TState>(json, ct).ConfigureAwait(false);
        return (state, snapshot.Version, false);
    }

    private void CacheSnapshot(StoredSnapshot snapshot) =>
        _snapshotCache.AddOrUpdate((snapshot.StreamId, snapshot.Aggregate), snapshot,
            (existing, incoming) => existing.SchemaVersion == incoming.SchemaVersion && existing.Version > incoming.Version ? existing : incoming);

    private void ConsiderSnapshot<TState>(SnapshotRegistration registration, Guid streamId, long version, long snapshotVersion, TState state, bool forced)
    {
        if (registration.Policy.IsOff || version <= snapshotVersion)
            return;
        var context = new SnapshotContext(registration.Aggregate, streamId, version, snapshotVersion, state);
        if (!forced && !registration.Policy.ShouldSnapshot(context))
            return;
        try
        {
            _snapshotWriter.Enqueue(new SnapshotRequest(streamId, registration.Aggregate, registration.SchemaVersion, version, _serializer.ToJson(state!)));
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or System.Text.Json.JsonException)
        {
            _logger.LogError(e, "cannot serialize the state of {Aggregate} {StreamId} for a snapshot", registration.Aggregate, streamId);
        }
    }
}
