using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace EventSourcing.Cluster.Tests;

/// <summary>What the test reads from PostgreSQL: checkpoints, the log's head, who holds what, and a fold of <c>mt_events</c>.</summary>
internal sealed class ClusterProbe(NpgsqlDataSource db, string eventSchema, string readSchema)
{
    public static readonly string[] ReadModels = ["order_search", "customer_orders"];

    public async Task<long> HeadAsync() => await ScalarAsync<long?>($"select max(seq_id) from {eventSchema}.mt_events") ?? 0;

    public async Task<long> CheckpointAsync(string readModel) =>
        await ScalarAsync<long?>($"select last_seq_id from {eventSchema}.mt_event_progression where name = '{readModel}:All'") ?? 0;

    public async Task<string> CheckpointsAsync()
    {
        var parts = new List<string>();
        foreach (var name in ReadModels)
            parts.Add($"{name} {await CheckpointAsync(name)}");
        return $"head {await HeadAsync()}, " + string.Join(", ", parts);
    }

    /// <summary>Wolverine: read model -> node number, from Wolverine's assignment table.</summary>
    public async Task<Dictionary<string, int>> OwnersAsync()
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in RowsAsync($"""
            select split_part(a.id, '/', 6), n.node_number from {eventSchema}.wolverine_node_assignments a
            join {eventSchema}.wolverine_nodes n on n.id = a.node_id where a.id like 'event-subscriptions://%'
            """))
            result[(string)row[0]] = (int)row[1];
        return result;
    }

    public async Task<int?> LeaderAsync() => await ScalarAsync<int?>($"""
        select n.node_number from {eventSchema}.wolverine_node_assignments a join {eventSchema}.wolverine_nodes n on n.id = a.node_id
        where a.id like 'wolverine://leader%'
        """);

    public async Task<List<int>> NodeNumbersAsync()
    {
        var result = new List<int>();
        await foreach (var row in RowsAsync($"select node_number from {eventSchema}.wolverine_nodes order by node_number"))
            result.Add((int)row[0]);
        return result;
    }

    /// <summary>Whether the node of that Application Name holds a host lease in <c>projection_hosts</c>.</summary>
    public async Task<bool> LeaseHolderAsync(string applicationName) =>
        await ScalarAsync<long?>($"select count(*) from {readSchema}.projection_hosts where application_name = '{applicationName}'") == 1;

    /// <summary>HotCold: the application names (node names) of the sessions holding advisory locks in this database.</summary>
    public async Task<List<string>> AdvisoryLockHoldersAsync(IEnumerable<string> nodes)
    {
        var names = nodes.ToHashSet(StringComparer.Ordinal);
        var result = new List<string>();
        await foreach (var row in RowsAsync("""
            select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.granted and a.datname = current_database()
            """))
        {
            if (names.Contains((string)row[0]))
                result.Add((string)row[0]);
        }

        return result;
    }

    /// <summary>
    /// Installs a trigger that records, for each checkpoint row of <c>mt_event_progression</c>, the Application Name (node name)
    /// of the session whose transaction last advanced it. A batch rejected by the conditional checkpoint rolls back with its
    /// trigger row, so this names the node that actually applies a read model's batches, whatever the distribution.
    /// </summary>
    public async Task TraceCheckpointWritersAsync()
    {
        await using var command = db.CreateCommand($"""
            create table if not exists {eventSchema}.cluster_checkpoint_writers (name text primary key, writer text not null, at timestamptz not null);
            create or replace function {eventSchema}.cluster_record_checkpoint_writer() returns trigger language plpgsql as $$
            begin
              if tg_op = 'INSERT' or new.last_seq_id is distinct from old.last_seq_id then
                insert into {eventSchema}.cluster_checkpoint_writers (name, writer, at)
                values (new.name, current_setting('application_name'), clock_timestamp())
                on conflict (name) do update set writer = excluded.writer, at = excluded.at;
              end if;
              return null;
            end $$;
            create or replace trigger cluster_checkpoint_writer after insert or update on {eventSchema}.mt_event_progression
            for each row execute function {eventSchema}.cluster_record_checkpoint_writer();
            """);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Read model -> the node whose session last advanced its checkpoint (see <see cref="TraceCheckpointWritersAsync"/>).</summary>
    public async Task<Dictionary<string, string>> CheckpointWritersAsync()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in RowsAsync($"select split_part(name, ':', 1), writer from {eventSchema}.cluster_checkpoint_writers where name like '%:All'"))
            result[(string)row[0]] = (string)row[1];
        return result;
    }

    /// <summary>customer -> (orders, paid INR) folded from the log by this test, independently of the projections.</summary>
    public async Task<SortedDictionary<string, (int Orders, decimal Paid)>> FoldCustomersAsync()
    {
        var fold = new SortedDictionary<string, (int Orders, decimal Paid)>(StringComparer.Ordinal);
        await foreach (var row in RowsAsync($"select type, data::text from {eventSchema}.mt_events order by seq_id"))
        {
            // Marten writes a 'tombstone' event (no data) over the sequences of an append that failed after taking them
            if ((string)row[0] == "tombstone")
                continue;
            using var json = JsonDocument.Parse((string)row[1]);
            var customer = Property(json.RootElement, "customerId").GetString()!;
            var current = fold.GetValueOrDefault(customer);
            if (((string)row[0]).Contains("placed", StringComparison.Ordinal))
                fold[customer] = current with { Orders = current.Orders + 1 };
            else if (((string)row[0]).Contains("payment", StringComparison.Ordinal))
                fold[customer] = current with { Paid = current.Paid + Property(json.RootElement, "amount").GetDecimal() };
        }

        return fold;
    }

    /// <summary>The same, as the <c>customer_orders</c> read model has it.</summary>
    public async Task<SortedDictionary<string, (int Orders, decimal Paid)>> CustomerReadModelAsync()
    {
        var result = new SortedDictionary<string, (int Orders, decimal Paid)>(StringComparer.Ordinal);
        await foreach (var row in RowsAsync($"select key, data::text from {readSchema}.rm_customer_orders"))
        {
            using var json = JsonDocument.Parse((string)row[1]);
            var values = Property(json.RootElement, "lifetimeValue");
            var paid = values.ValueKind == JsonValueKind.Object && values.TryGetProperty("INR", out var inr) ? inr.GetDecimal() : 0m;
            result[(string)row[0]] = (Property(json.RootElement, "orderCount").GetInt32(), paid);
        }

        return result;
    }

    /// <summary>The order ids in the <c>order_search</c> read model.</summary>
    public async Task<HashSet<Guid>> SearchedOrdersAsync()
    {
        var result = new HashSet<Guid>();
        await foreach (var row in RowsAsync($"select key from {readSchema}.rm_order_search"))
            result.Add(Guid.Parse((string)row[0], CultureInfo.InvariantCulture));
        return result;
    }

    private static JsonElement Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                return property.Value;
        }

        throw new InvalidOperationException($"no '{name}' in {element}");
    }

    private async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var command = db.CreateCommand(sql);
        try
        {
            var value = await command.ExecuteScalarAsync();
            return value is null or DBNull ? default : (T)value;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return default;
        }
    }

    private async IAsyncEnumerable<object[]> RowsAsync(string sql)
    {
        await using var command = db.CreateCommand(sql);
        NpgsqlDataReader reader;
        try
        {
            reader = await command.ExecuteReaderAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            yield break;
        }

        await using (reader)
        {
            while (await reader.ReadAsync())
            {
                var row = new object[reader.FieldCount];
                reader.GetValues(row);
                yield return row;
            }
        }
    }
}
