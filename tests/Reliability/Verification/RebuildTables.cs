using Npgsql;

namespace EventSourcing.Reliability.Verification;

/// <summary>Where a rebuild stands, read from the PostgreSQL sink: the live version of a read model and the rows of a version's table.</summary>
public static class RebuildTables
{
    public static async Task<int> LiveVersionAsync(NpgsqlDataSource database, string readModel)
    {
        await using var command = database.CreateCommand($"select live_version from {ReadModels.Schema}.projection_read_models where name = $1");
        command.Parameters.AddWithValue(readModel);
        return await command.ExecuteScalarAsync() as int? ?? 0;
    }

    /// <summary>Rows in <c>rm_{name}_v{version}</c>; 0 while the rebuild has not created it.</summary>
    public static async Task<long> RowsAsync(NpgsqlDataSource database, string readModel, int version)
    {
        await using var command = database.CreateCommand($"select count(*) from {ReadModels.Schema}.rm_{readModel}_v{version}");
        try
        {
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }
}
