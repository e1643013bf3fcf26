using Npgsql;

namespace EventSourcing.TestInfrastructure;

/// <summary>
/// Gives a test class its own database schema on the real PostgreSQL server, dropped afterwards.
/// Use it as <c>IClassFixture&lt;PostgresFixture&gt;</c> and hand <see cref="SchemaName"/> to Marten
/// (<c>DatabaseSchemaName</c>) or qualify your own tables with it.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresFixture()
    {
        SchemaName = "t_" + Guid.NewGuid().ToString("N")[..12];
    }

    public string ConnectionString { get; private set; } = "";

    /// <summary>The connection string with this fixture's schema first on the search path.</summary>
    public string SchemaConnectionString => ConnectionString + ";Search Path=" + SchemaName;

    /// <summary>A fresh schema name, unique to this fixture instance.</summary>
    public string SchemaName { get; }

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>Another fresh schema, also dropped when the fixture is disposed.</summary>
    public string NewSchemaName()
    {
        var name = SchemaName + "_" + Guid.NewGuid().ToString("N")[..6];
        lock (_extraSchemas) _extraSchemas.Add(name);
        return name;
    }

    private readonly List<string> _extraSchemas = [];

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.GetConnectionStringAsync();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = DataSource.CreateCommand($"create schema if not exists {SchemaName}");
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        string[] schemas;
        lock (_extraSchemas) schemas = [SchemaName, .. _extraSchemas];
        foreach (var schema in schemas)
        {
            await using var command = DataSource.CreateCommand($"drop schema if exists {schema} cascade");
            await command.ExecuteNonQueryAsync();
        }

        await DataSource.DisposeAsync();
    }
}
