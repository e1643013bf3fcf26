using Npgsql;

namespace EventSourcing.Projections.Status;

/// <summary>
/// Reads which Wolverine node runs each read model. A read model's agent is
/// <c>event-subscriptions://marten/{store}/{server}.{database}/{name}/all</c>, so its name is the sixth
/// '/'-separated part of the assignment id. Before any Wolverine node has started, the tables do not exist
/// and every read model is placed nowhere.
/// </summary>
internal sealed class WolverineAssignments(NpgsqlDataSource dataSource, string schema)
{
    public async Task<IReadOnlyDictionary<string, ProjectionNode>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            select split_part(a.id, '/', 6), n.node_number, n.description, a.started,
                   extract(epoch from now() - n.health_check)::float8
            from {schema}.wolverine_node_assignments a join {schema}.wolverine_nodes n on n.id = a.node_id
            where a.id like 'event-subscriptions://%'
            order by a.started desc
            """);
        var result = new Dictionary<string, ProjectionNode>(StringComparer.Ordinal);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.TryAdd(reader.GetString(0), new ProjectionNode(
                    reader.GetInt32(1),
                    reader.GetString(2),
                    await reader.GetFieldValueAsync<DateTimeOffset>(3, cancellationToken).ConfigureAwait(false),
                    Math.Round(Math.Max(0, reader.GetDouble(4)), 1)));
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return result;
        }

        return result;
    }
}
