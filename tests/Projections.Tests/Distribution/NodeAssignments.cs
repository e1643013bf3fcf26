using Npgsql;

namespace EventSourcing.Projections.Tests.Distribution;

/// <summary>What an operator reads from PostgreSQL under Wolverine distribution: which node runs which read model.</summary>
public static class NodeAssignments
{
    /// <summary>read model -> Wolverine node number, from Wolverine's tables in the event store's schema (empty before they exist).</summary>
    public static async Task<IReadOnlyDictionary<string, int>> ReadAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var command = dataSource.CreateCommand($"""
            select split_part(a.id, '/', 6) as read_model, n.node_number
            from {schema}.wolverine_node_assignments a join {schema}.wolverine_nodes n on n.id = a.node_id
            where a.id like 'event-subscriptions://%'
            """);
        var result = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (await TryReadAsync(command) is not { } reader)
            return result;
        await using (reader)
        {
            while (await reader.ReadAsync())
                result.Add(reader.GetString(0), reader.GetInt32(1));
        }

        return result;
    }

    /// <summary>The node numbers registered in Wolverine's node table (a node that died stays until it is ejected as stale).</summary>
    public static async Task<IReadOnlySet<int>> NodesAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var command = dataSource.CreateCommand($"select node_number from {schema}.wolverine_nodes");
        var result = new SortedSet<int>();
        if (await TryReadAsync(command) is not { } reader)
            return result;
        await using (reader)
        {
            while (await reader.ReadAsync())
                result.Add(reader.GetInt32(0));
        }

        return result;
    }

    /// <summary>The number of the node that holds the cluster's leader agent (<c>wolverine://leader</c>), if any.</summary>
    public static async Task<int?> LeaderAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var command = dataSource.CreateCommand($"""
            select n.node_number
            from {schema}.wolverine_node_assignments a join {schema}.wolverine_nodes n on n.id = a.node_id
            where a.id like 'wolverine://leader%'
            """);
        if (await TryReadAsync(command) is not { } reader)
            return null;
        await using (reader)
            return await reader.ReadAsync() ? reader.GetInt32(0) : null;
    }

    /// <summary>Before the first Wolverine node started, its tables do not exist: no nodes, no assignments.</summary>
    private static async Task<NpgsqlDataReader?> TryReadAsync(NpgsqlCommand command)
    {
        try
        {
            return await command.ExecuteReaderAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }
}
