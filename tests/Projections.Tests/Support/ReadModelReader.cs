using Npgsql;

namespace EventSourcing.Projections.Tests.Support;

/// <summary>Reads a PostgreSQL read model as readers do: through its view, as key -> jsonb text.</summary>
public static class ReadModelReader
{
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(NpgsqlDataSource dataSource, string relation)
    {
        await using var command = dataSource.CreateCommand($"select key, data::text from {relation} order by key");
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            result[reader.GetString(0)] = reader.GetString(1);
        return result;
    }

    public static Task<IReadOnlyDictionary<string, string>> ReadViewAsync(NpgsqlDataSource dataSource, string schema, string readModel) =>
        ReadAsync(dataSource, $"{schema}.rm_{readModel}");

    /// <summary>Every document of the view with its version column, as <c>data @ version</c>: a stale document differs here.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadViewWithVersionsAsync(NpgsqlDataSource dataSource, string schema, string readModel)
    {
        await using var command = dataSource.CreateCommand($"select key, data::text || ' @ ' || version from {schema}.rm_{readModel} order by key");
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            result[reader.GetString(0)] = reader.GetString(1);
        return result;
    }
}
