using Npgsql;

namespace EventSourcing.Projections.Tests.Distribution;

/// <summary>What an operator reads from PostgreSQL under Wolverine distribution: which node runs which read model.</summary>
public static class NodeAssignments
{
    /// <summary>read model -> Wolverine node number, from Wolverine's tables in the event store's schema.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> ReadAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var command = dataSource.CreateCommand($"""
            select split_part(a.id, '/', 6) as read_model, n.node_number
            from {schema}.wolverine_node_assignments a join {schema}.wolverine_nodes n on n.id = a.node_id
            where a.id like 'event-subscriptions://%'
            """);
        var result = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            result.Add(reader.GetString(0), reader.GetInt32(1));
        return result;
    }
}
