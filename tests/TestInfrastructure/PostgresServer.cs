using System.Diagnostics;

namespace EventSourcing.TestInfrastructure;

/// <summary>
/// The PostgreSQL server the tests use: POSTGRES_CONNECTION when set (tests/run.sh and CI set it),
/// otherwise the project-local cluster that tests/postgres.sh provisions, so an IDE test run works too.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "POSTGRES_CONNECTION";

    private static readonly Lazy<Task<string>> Connection = new(ResolveAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<string> GetConnectionStringAsync() => Connection.Value;

    private static async Task<string> ResolveAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return fromEnvironment;

        var script = System.IO.Path.Combine(RepositoryRoot.Path, "tests", "postgres.sh");
        var start = new ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"could not start {script}");
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed with exit code {process.ExitCode}: {await stderr}");

        var file = System.IO.Path.Combine(RepositoryRoot.Path, ".local", "postgres", "connection");
        return (await File.ReadAllTextAsync(file)).Trim();
    }
}
