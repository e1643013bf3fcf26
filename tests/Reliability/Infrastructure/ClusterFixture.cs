namespace EventSourcing.Reliability.Infrastructure;

/// <summary>The suite's dedicated PostgreSQL cluster, started once for all scenarios; each scenario gets a fresh database on it.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private int _databases;

    public PostgresCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await PostgresCluster.StartAsync();

    public async Task<string> NewDatabaseAsync(string scenario)
    {
        var name = $"{scenario}_{Interlocked.Increment(ref _databases)}";
        await Cluster.CreateDatabaseAsync(name);
        return Cluster.ConnectionString(name);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ReliabilityCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "reliability";
}
