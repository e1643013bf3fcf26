using JasperFx;
using Marten;
using Npgsql;

namespace EventSourcing.Projections.Tests.Support;

/// <summary>Seeds an event log and reads the daemon's checkpoints, straight through Marten and SQL.</summary>
public static class TestEventLog
{
    public static DocumentStore Store(string connectionString, string schema) => DocumentStore.For(opts =>
    {
        opts.Connection(connectionString);
        opts.DatabaseSchemaName = schema;
        opts.AutoCreateSchemaObjects = AutoCreate.All;
    });

    /// <summary>Appends <paramref name="orders"/> orders of 10 events each (place, notes, ship, an unhandled audit, some purges).</summary>
    public static async Task<IReadOnlyList<Guid>> SeedOrdersAsync(IDocumentStore store, int orders)
    {
        var ids = Enumerable.Range(0, orders).Select(_ => Guid.NewGuid()).ToList();
        foreach (var chunk in ids.Chunk(100))
        {
            await using var session = store.LightweightSession();
            foreach (var (id, i) in chunk.Select((id, i) => (id, i)))
            {
                var events = new List<object> { new OrderPlaced(id, "customer-" + i, i) };
                events.AddRange(Enumerable.Range(1, 6).Select(n => new OrderNoted(id, "note " + n)));
                events.Add(new OrderAudited(id));
                events.Add(new OrderShipped(id, "carrier-" + (i % 3)));
                events.Add(i % 10 == 0 ? new OrderPurged(id) : new OrderNoted(id, "final"));
                session.Events.StartStream(id, events);
            }

            await session.SaveChangesAsync();
        }

        return ids;
    }

    public static async Task<long> CheckpointAsync(NpgsqlDataSource dataSource, string schema, string projection)
    {
        await using var command = dataSource.CreateCommand(
            $"select coalesce(max(last_seq_id), 0) from {schema}.mt_event_progression where name like $1 || ':%'");
        command.Parameters.AddWithValue(projection);
        try
        {
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    public static async Task<long> HighestSequenceAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var command = dataSource.CreateCommand($"select coalesce(max(seq_id), 0) from {schema}.mt_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The oracle of <see cref="OrderSummaryProjection"/>'s document count: orders placed minus orders purged in mt_events.</summary>
    public static async Task<long> LiveOrdersAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var command = dataSource.CreateCommand(
            $"select count(*) filter (where type = 'order_placed') - count(*) filter (where type = 'order_purged') from {schema}.mt_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The <c>changes</c> an <see cref="OrderSummary"/> document counted: 9 for every seeded order, more if an event applied twice.</summary>
    public static int ChangesOf(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().Single(p => p.NameEquals("changes") || p.NameEquals("Changes")).Value.GetInt32();
    }
}
