using System.Reflection;
using EventSourcing.EventStore;
using EventSourcing.EventStore.Configuration;
using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Upcasting;
using EventSourcing.SchemaTools.Catalog;
using EventSourcing.SchemaTools.Discovery;
using EventSourcing.SchemaTools.Generation;
using Marten;
using Npgsql;

namespace EventSourcing.SchemaTools.Sampling;

/// <summary>
/// <c>check --sample-events</c>: reads the newest N stored events of every stored type name from a
/// live event store and deserialises each through Marten with the current event types and
/// upcasters (the same configuration the service runs with), reporting every event that fails,
/// every stored type name nobody can read, every older event version no upcaster reads (the service
/// rejects those), and every required (non-nullable) value that comes out empty.
/// </summary>
public static class StoredEventSampler
{
    public static async Task<IReadOnlyList<CheckFinding>> RunAsync(string connectionString, string schemaName, EventTypeSource source, int perType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (perType < 1)
            throw new ArgumentOutOfRangeException(nameof(perType), perType, "--per-type must be at least 1.");
        var options = new EventStoreOptions { ConnectionString = connectionString, SchemaName = schemaName, AutoCreateSchema = false };
        if (source.Configure is not null)
            source.Configure(options);
        else
            foreach (var e in source.Events)
                options.Events.Register(e.ClrType, e.Name, e.Version);
        options.ConnectionString = connectionString;
        options.SchemaName = schemaName;
        options.AutoCreateSchema = false;

        var findings = new List<CheckFinding>();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var store = new DocumentStore(MartenConfiguration.CreateStoreOptions(options));
        await using var session = store.QuerySession();
        var guarded = options.Events.GuardedStoredNames.ToHashSet(StringComparer.Ordinal);
        foreach (var storedName in await StoredTypeNames(dataSource, schemaName, cancellationToken))
        {
            var (name, version) = StoredEventName.Parse(storedName);
            var subject = AvroNaming.FullName(name);
            if (!options.Events.IsKnownStoredName(storedName) && !guarded.Contains(storedName))
            {
                findings.Add(new CheckFinding(subject, "UNKNOWN_EVENT_TYPE", "(root)",
                    $"the store holds events of type '{storedName}' (event version {version}) but no current type or upcaster reads it"));
                continue;
            }

            foreach (var sequence in await NewestSequences(dataSource, schemaName, storedName, perType, cancellationToken))
            {
                try
                {
                    var stored = await session.Events.QueryAllRawEvents().Where(e => e.Sequence == sequence).ToListAsync(cancellationToken);
                    foreach (var data in stored.Select(e => e.Data))
                        findings.AddRange(MissingValues(subject, storedName, sequence, data));
                }
                catch (Exception e) when (StaleEvents.Find(e) is { } stale)
                {
                    findings.Add(new CheckFinding(subject, "MISSING_UPCASTER", "(root)",
                        $"stored event #{sequence} ('{storedName}', stream {stale.StreamId}, version {stale.StreamVersion}) is event version {stale.StoredVersion} " +
                        $"of {stale.CurrentType.FullName}, now at version {stale.CurrentVersion}, and no upcaster from version {stale.StoredVersion} is registered; " +
                        "the service refuses to read it rather than fill it with default values"));
                }
                catch (Exception e) when (e is not OperationCanceledException and not NpgsqlException)
                {
                    findings.Add(new CheckFinding(subject, "SAMPLE_UNREADABLE", "(root)",
                        $"stored event #{sequence} ('{storedName}') cannot be read with the current types and upcasters: {Innermost(e).Message}"));
                }
            }
        }

        return findings;
    }

    private static IEnumerable<CheckFinding> MissingValues(string subject, string storedName, long sequence, object data)
    {
        var events = data is SplitEvent split ? split.Events : [data];
        var context = new NullabilityInfoContext();
        foreach (var @event in events)
        {
            foreach (var property in MemberFacts.Properties(@event.GetType()))
            {
                if (property.PropertyType.IsValueType || context.Create(property).ReadState != NullabilityState.NotNull || property.GetValue(@event) is not null)
                    continue;
                yield return new CheckFinding(subject, "SAMPLE_MISSING_VALUE", AvroNaming.FieldName(property.Name),
                    $"stored event #{sequence} ('{storedName}') has no value for the non-nullable {@event.GetType().Name}.{property.Name}; give it a default, make it nullable, or upcast old events");
            }
        }
    }

    private static async Task<IReadOnlyList<string>> StoredTypeNames(NpgsqlDataSource dataSource, string schemaName, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select distinct type from {schemaName}.mt_events order by type");
        var names = new List<string>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                names.Add(reader.GetString(0));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            throw new InvalidOperationException($"--sample-events: there is no event table {schemaName}.mt_events; is --events-schema right?", e);
        }

        return names;
    }

    private static async Task<IReadOnlyList<long>> NewestSequences(NpgsqlDataSource dataSource, string schemaName, string storedName, int perType, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select seq_id from {schemaName}.mt_events where type = $1 order by seq_id desc limit $2");
        command.Parameters.AddWithValue(storedName);
        command.Parameters.AddWithValue(perType);
        var list = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(reader.GetInt64(0));
        return list;
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
