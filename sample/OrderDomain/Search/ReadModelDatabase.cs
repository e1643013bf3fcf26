using Npgsql;

namespace OrderDomain.Search;

/// <summary>The PostgreSQL data source the sample's own queries (search, health) use.</summary>
public sealed class ReadModelDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
