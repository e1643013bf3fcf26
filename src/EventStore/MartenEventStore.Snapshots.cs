using EventSourcing.EventStore.Deciders;
using EventSourcing.EventStore.Snapshots;
using EventSourcing.EventStore.Validation;
using Marten;
using Marten.Events;

namespace EventSourcing.EventStore;

public sealed partial class MartenEventStore
{
    /// <summary>The stored snapshot of an aggregate's stream, whatever its schema version (diagnostics, tests).</summary>
    public Task<StoredSnapshot?> ReadSnapshotAsync(string aggregate, Guid streamId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(aggregate);
        AppendValidator.StreamId(streamId);
        return _snapshots.FindAsync(streamId, aggregate, ct);
    }

    /// <summary>
    /// Rebuilds the snapshots of one aggregate from a full replay and writes them now (not in the
    /// background). Streams: <paramref name="streamIds"/> when given, otherwise every stream that has a
    /// snapshot of this aggregate or was started by <see cref="IEventStore.HandleAsync{TState,TCommand}"/>
    /// with this decider. Returns how many snapshots were written.
    /// </summary>
    public async Task<int> RebuildSnapshotsAsync<TState, TCommand>(Decider<TState, TCommand> decider, IReadOnlyCollection<Guid>? streamIds,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decider);
        var registration = _options.Snapshots.Find(decider.Name)
            ?? throw new InvalidOperationException($"aggregate '{decider.Name}' has no snapshot registration; add options.Snapshots.For(\"{decider.Name}\", ...)");
        if (registration.Policy.IsOff)
            throw new InvalidOperationException($"snapshots of aggregate '{decider.Name}' are off; nothing to rebuild");

        var streams = streamIds ?? await StreamsOfAsync<TState>(decider.Name, ct).ConfigureAwait(false);
        var written = 0;
        foreach (var streamId in streams)
        {
            AppendValidator.StreamId(streamId);
            var (events, _) = await _reader.ReadStreamAsync(streamId, 0, 0, null, ct).ConfigureAwait(false);
            if (events.Count == 0)
                continue;
            var state = decider.Initial;
            foreach (var envelope in events)
                state = decider.Evolve(state, envelope.Data);
            var json = _serializer.ToJson(state!);
            await _snapshots.WriteAsync(streamId, decider.Name, registration.SchemaVersion, events[^1].StreamVersion, json, ct).ConfigureAwait(false);
            CacheSnapshot(new StoredSnapshot(streamId, decider.Name, registration.SchemaVersion, events[^1].StreamVersion, json, DateTimeOffset.UtcNow));
            written++;
        }

        return written;
    }

    private async Task<IReadOnlyCollection<Guid>> StreamsOfAsync<TState>(string aggregate, CancellationToken ct)
    {
        var ids = new HashSet<Guid>(await _snapshots.StreamsWithSnapshotsAsync(aggregate, ct).ConfigureAwait(false));
        if (DocumentStore.Options is StoreOptions { Events: EventGraph graph })
        {
            var alias = graph.AggregateAliasFor(typeof(TState));
            await using var command = _dataSource.CreateCommand($"select id from {_options.SchemaName}.mt_streams where type = $1");
            command.Parameters.AddWithValue(alias);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
