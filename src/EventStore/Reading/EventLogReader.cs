using System.Runtime.ExceptionServices;
using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Upcasting;
using JasperFx.Events;
using Marten;
using Marten.Linq;
using Npgsql;

namespace EventSourcing.EventStore.Reading;

/// <summary>
/// Reads streams and the global log through Marten (so upcasters run) and turns the events into
/// envelopes. A stored type name nobody knows is an <see cref="UnknownStoredEventTypeException"/>
/// naming stream, version and type, or, with the tolerant reader on, skipped. An older version of a
/// registered type that no upcaster reads is always a <see cref="Upcasting.StaleEventVersionException"/>.
/// </summary>
internal sealed class EventLogReader(IDocumentStore store, NpgsqlDataSource dataSource, EventStoreOptions options)
{
    private readonly string _events = options.SchemaName + ".mt_events";

    /// <summary>Envelopes of a stream between two versions (inclusive; 0 = unbounded), and how many stored events were read.</summary>
    public async Task<(IReadOnlyList<EventEnvelope> Events, int Read)> ReadStreamAsync(
        Guid streamId, long fromVersion, long toVersion, DateTimeOffset? asOf, CancellationToken ct)
    {
        // On the store's own pool (no reset on return), where the connection keeps the prepared stream query:
        // this is the load of every command that finds no cached state.
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var session = store.QuerySession(Marten.Services.SessionOptions.ForConnection(connection));
        IReadOnlyList<IEvent> raw;
        try
        {
            raw = await session.Events.FetchStreamAsync(streamId, version: toVersion, timestamp: asOf, fromVersion: fromVersion, token: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (StaleEvents.Find(e) is { } stale)
        {
            ExceptionDispatchInfo.Throw(stale);
            throw;
        }
        catch (Marten.Exceptions.UnknownEventTypeException e)
        {
            var unknown = await UnknownInStreamAsync(streamId, fromVersion, toVersion, ct).ConfigureAwait(false);
            if (unknown.Count == 0)
                throw;
            if (!options.TolerantReader)
                throw new UnknownStoredEventTypeException(streamId, unknown[0].Version, unknown[0].Type, e);
            raw = await FetchAroundAsync(session, streamId, fromVersion, toVersion, asOf, unknown, ct).ConfigureAwait(false);
        }

        return (await ToEnvelopesAsync(raw, ct).ConfigureAwait(false), raw.Count);
    }

    public async Task<IReadOnlyList<EventEnvelope>> ReadAllAsync(long afterSequence, int maxCount, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var known = Readable();
        IReadOnlyList<IEvent> raw;
        if (!options.TolerantReader)
        {
            try
            {
                raw = await session.Events.QueryAllRawEvents()
                    .Where(e => e.Sequence > afterSequence)
                    .OrderBy(e => e.Sequence)
                    .Take(maxCount)
                    .ToListAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (StaleEvents.Find(e) is { } stale)
            {
                ExceptionDispatchInfo.Throw(stale);
                throw;
            }
            catch (Marten.Exceptions.UnknownEventTypeException e)
            {
                var unknown = await FirstUnknownAfterAsync(afterSequence, maxCount, known, ct).ConfigureAwait(false);
                if (unknown is { } u)
                    throw new UnknownStoredEventTypeException(u.StreamId, u.Version, u.Type, e);
                throw;
            }
        }
        else
        {
            try
            {
                raw = await session.Events.QueryAllRawEvents()
                    .Where(e => e.Sequence > afterSequence && e.EventTypeName.IsOneOf(known))
                    .OrderBy(e => e.Sequence)
                    .Take(maxCount)
                    .ToListAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (StaleEvents.Find(e) is { } stale)
            {
                ExceptionDispatchInfo.Throw(stale);
                throw;
            }
        }

        return await ToEnvelopesAsync(raw, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The stored type names readers select: current types, upcaster sources, and the older versions no
    /// upcaster reads (selected so that they are rejected, never skipped, even by the tolerant reader).
    /// </summary>
    private string[] Readable() =>
        options.Events.KnownStoredNames.Concat(options.Events.GuardedStoredNames).Distinct(StringComparer.Ordinal).ToArray();

    private static async Task<IReadOnlyList<IEvent>> FetchAroundAsync(IQuerySession session, Guid streamId, long fromVersion, long toVersion,
        DateTimeOffset? asOf, IReadOnlyList<(long Version, string Type)> unknown, CancellationToken ct)
    {
        var raw = new List<IEvent>();
        var start = Math.Max(fromVersion, 1);
        foreach (var (version, _) in unknown.Append((long.MaxValue, "")))
        {
            var last = version == long.MaxValue;
            var end = last ? toVersion : version - 1;
            if (last ? end == 0 || end >= start : end >= start)
            {
                try
                {
                    raw.AddRange(await session.Events.FetchStreamAsync(streamId, version: end, timestamp: asOf, fromVersion: start, token: ct).ConfigureAwait(false));
                }
                catch (Exception e) when (StaleEvents.Find(e) is { } stale)
                {
                    ExceptionDispatchInfo.Throw(stale);
                    throw;
                }
            }

            if (last)
                break;
            start = version + 1;
        }

        return raw;
    }

    private async Task<List<EventEnvelope>> ToEnvelopesAsync(IReadOnlyList<IEvent> raw, CancellationToken ct)
    {
        try
        {
            return BuildEnvelopes(raw);
        }
        catch (UnknownStoredEventTypeException e)
        {
            // Marten resolved an unknown stored name through the CLR type column and reports its own alias:
            // name the type as stored.
            await using var command = dataSource.CreateCommand($"select type from {_events} where stream_id = $1 and version = $2");
            command.Parameters.AddWithValue(e.StreamId);
            command.Parameters.AddWithValue(e.Version);
            var stored = await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
            throw new UnknownStoredEventTypeException(e.StreamId, e.Version, stored ?? e.TypeName, e);
        }
    }

    private List<EventEnvelope> BuildEnvelopes(IReadOnlyList<IEvent> raw)
    {
        var list = new List<EventEnvelope>(raw.Count);
        foreach (var e in raw)
        {
            if (options.TolerantReader && !options.Events.IsKnownStoredName(e.EventTypeName))
                continue;
            list.AddRange(EventEnvelope.FromMarten(e, options.Events));
        }

        return list;
    }

    private async Task<IReadOnlyList<(long Version, string Type)>> UnknownInStreamAsync(Guid streamId, long fromVersion, long toVersion, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"select version, type from {_events} where stream_id = $1 and version >= $2 and ($3 = 0 or version <= $3) and not (type = any($4)) order by version");
        command.Parameters.AddWithValue(streamId);
        command.Parameters.AddWithValue(fromVersion);
        command.Parameters.AddWithValue(toVersion);
        command.Parameters.AddWithValue(Readable());
        var list = new List<(long, string)>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                list.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // no event has been written yet
        }

        return list;
    }

    private async Task<(Guid StreamId, long Version, string Type)?> FirstUnknownAfterAsync(long afterSequence, int maxCount, string[] known, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"select stream_id, version, type from (select stream_id, version, type from {_events} where seq_id > $1 order by seq_id limit $2) s where not (type = any($3)) limit 1");
        command.Parameters.AddWithValue(afterSequence);
        command.Parameters.AddWithValue(maxCount);
        command.Parameters.AddWithValue(known);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
                return (reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // no event has been written yet
        }

        return null;
    }
}
