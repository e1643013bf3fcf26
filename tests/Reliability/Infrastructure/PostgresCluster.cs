using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace EventSourcing.Reliability.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of the suite's own: initdb into a temporary directory (as the <c>postgres</c> user
/// when running as root, like tests/postgres.sh), started on a free port. The suite restarts it
/// (<c>pg_ctl restart -m immediate</c>), so it is never the shared server the other test projects use.
/// fsync is off: an immediate restart kills the server, not the machine, so the kernel keeps what was
/// written and crash recovery runs exactly as in production; the build machine is spared the flushes.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private PostgresCluster(string bin, string directory, int port)
    {
        Bin = bin;
        Directory = directory;
        Port = port;
    }

    public string Bin { get; }

    /// <summary>Holds <c>data/</c> and <c>server.log</c>; removed on dispose.</summary>
    public string Directory { get; }

    public int Port { get; }

    private string Data => Path.Combine(Directory, "data");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Password=postgres;Timeout=10;Command Timeout=60";

    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = FindBin();
        // mktemp as the server's user, so that user owns the directory.
        var directory = (await Shell.RunAsPostgresAsync("mktemp", ["-d", "/tmp/reliability-postgres-XXXXXX"], CommandTimeout)).Trim();
        var cluster = new PostgresCluster(bin, directory, FreePort());
        await Shell.RunAsPostgresAsync(Path.Combine(bin, "initdb"),
            ["-D", cluster.Data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale"], CommandTimeout);
        await Shell.RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", cluster.Data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "-o",
             $"-p {cluster.Port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=64MB -c fsync=off", "start"],
            CommandTimeout);
        return cluster;
    }

    public async Task CreateDatabaseAsync(string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"create database {database}", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// <c>pg_ctl restart -m immediate</c>: every backend is killed without a checkpoint, and the server recovers from its WAL.
    /// The new server logs to the file too: with its output on our pipe, reading pg_ctl's output would never end.
    /// </summary>
    public async Task RestartImmediateAsync()
    {
        await Shell.RunAsPostgresAsync(Path.Combine(Bin, "pg_ctl"), ["-D", Data, "-l", Path.Combine(Directory, "server.log"), "-m", "immediate", "-w", "-t", "60", "restart"], CommandTimeout);
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Shell.RunAsPostgresAsync(Path.Combine(Bin, "pg_ctl"), ["-D", Data, "-m", "immediate", "-w", "stop"], CommandTimeout);
        }
        finally
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static string FindBin() =>
        System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault()
              ?? throw NotInstalled()
            : throw NotInstalled();

    private static InvalidOperationException NotInstalled() => new(
        "the reliability suite needs PostgreSQL's server binaries (initdb, pg_ctl) under /usr/lib/postgresql/<version>/bin " +
        "to run a cluster of its own; tests/postgres.sh installs them (apt-get install postgresql)");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
