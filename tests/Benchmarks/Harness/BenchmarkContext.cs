using Npgsql;

namespace EventSourcing.Benchmarks.Harness;

/// <summary>What a suite gets: the mode, the PostgreSQL server, fresh schemas and a progress log.</summary>
public sealed class BenchmarkContext : IAsyncDisposable
{
    private readonly List<string> _schemas = [];

    public BenchmarkContext(bool quick, string connectionString)
    {
        Quick = quick;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>--quick: the whole suite finishes in under 60 seconds on a 2-core machine.</summary>
    public bool Quick { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Picks the full or the quick size.</summary>
    public int Size(int full, int quick) => Quick ? quick : full;

    /// <summary>A fresh database schema, dropped when the run ends.</summary>
    public async Task<string> NewSchemaAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = $"bench_{prefix}_{Guid.NewGuid():N}"[..30].Replace('-', '_');
        await using var command = DataSource.CreateCommand($"create schema {name}");
        await command.ExecuteNonQueryAsync(cancellationToken);
        lock (_schemas) _schemas.Add(name);
        return name;
    }

    /// <summary>
    /// Analyzes a freshly written event log, as autovacuum long has a production log this size. Until then PostgreSQL
    /// plans the daemon's page query on empty-table statistics (a scan of every later event per page), and the moment
    /// autovacuum gets to it is one no run controls: daemon rates swung 5-10x with it (docs/scaling.md, "Numbers").
    /// </summary>
    public async Task AnalyzeEventLogAsync(string schema, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand($"analyze {schema}.mt_events; analyze {schema}.mt_streams");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Progress for long runs, on stderr so stdout stays the result contract.</summary>
    public static void Progress(string message) => Console.Error.WriteLine($"  .. {message}");

    public async ValueTask DisposeAsync()
    {
        string[] schemas;
        lock (_schemas) schemas = [.. _schemas];
        foreach (var schema in schemas)
        {
            await using var command = DataSource.CreateCommand($"drop schema if exists {schema} cascade");
            await command.ExecuteNonQueryAsync();
        }

        await DataSource.DisposeAsync();
    }
}
