using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.Reliability.Infrastructure;

/// <summary>
/// The real sample service as production runs it: <c>dotnet OrderDomain.dll serve</c> (or another of its
/// commands, e.g. <c>projections rebuild --all --wait</c>) in a process of its own, on the suite's cluster.
/// <see cref="Kill"/> is SIGKILL: no shutdown hook, no flush, no goodbye.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, string description, Uri? baseAddress)
    {
        _process = process;
        Description = description;
        BaseAddress = baseAddress;
    }

    public string Description { get; }

    /// <summary>The HTTP address of a <c>serve</c> process; null for a CLI command.</summary>
    public Uri? BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the process wrote (stdout and stderr), for failure messages.</summary>
    public string RecentOutput => string.Join('\n', _output);

    /// <summary>The built sample, from the same configuration as this suite (Release in tests/run.sh).</summary>
    public static string Dll
    {
        get
        {
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            var dll = Path.Combine(RepositoryRoot.Path, "sample", "OrderDomain", "bin", configuration, "net10.0", "OrderDomain.dll");
            return File.Exists(dll)
                ? dll
                : throw new InvalidOperationException($"{dll} does not exist; build the solution first (dotnet build EventSourcing.sln -c {configuration})");
        }
    }

    /// <summary>Starts <c>serve</c> on a free port and waits until <c>/health/live</c> answers.</summary>
    public static async Task<ServiceProcess> ServeAsync(string connectionString, bool runProjections = true)
    {
        var service = Launch(connectionString, runProjections);
        try
        {
            await service.WaitUntilLiveAsync();
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        return service;
    }

    /// <summary>Starts <c>serve</c> on a free port without waiting for it (the daemon starts catching up at once).</summary>
    public static ServiceProcess Launch(string connectionString, bool runProjections = true)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        return Start(connectionString, ["serve", "--urls", address.ToString().TrimEnd('/')], address, runProjections);
    }

    public async Task WaitUntilLiveAsync()
    {
        using var http = ServiceHttp.Create(BaseAddress ?? throw new InvalidOperationException($"{Description} serves no HTTP"));
        await Eventually.Until(async () =>
        {
            if (HasExited)
                throw new InvalidOperationException($"{Description} exited with {ExitCode} while starting:\n{RecentOutput}");
            try
            {
                using var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
                return live.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), $"{Description} to answer /health/live");
    }

    /// <summary>Starts another command of the sample, e.g. <c>projections rebuild --all --wait</c>; see <see cref="WaitAsync"/>.</summary>
    public static ServiceProcess Command(string connectionString, IReadOnlyList<string> arguments) =>
        Start(connectionString, arguments, baseAddress: null, runProjections: true);

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException e)
        {
            throw new TimeoutException($"{Description} did not exit within {timeout.TotalSeconds:0} s:\n{RecentOutput}", e);
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL (Process.Kill is SIGKILL on Linux), then waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static readonly string SigningKeyFile =
        Path.Combine(Path.GetTempPath(), $"reliability-{Environment.ProcessId}-{Guid.NewGuid():N}", "signing-key");

    private static ServiceProcess Start(string connectionString, IReadOnlyList<string> arguments, Uri? baseAddress, bool runProjections)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host, [Dll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Dll)!,
        };
        // Only the suite's cluster: nothing inherited may point the service at Kafka, Elasticsearch or another database.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("Orders__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(inherited);
        foreach (var variable in new[] { "KAFKA_BOOTSTRAP_SERVERS", "ELASTICSEARCH_URL", "SCHEMA_REGISTRY_URL" })
            start.Environment.Remove(variable);
        start.Environment["POSTGRES_CONNECTION"] = connectionString;
        start.Environment["Orders__RunProjections"] = runProjections ? "true" : "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // every process of the run signs and checks tokens with one key of the suite's; the suite's load is not shed
        start.Environment["Orders__Auth__DevelopmentKeyFile"] = SigningKeyFile;
        start.Environment["Orders__RateLimit__PermitsPerSecond"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var process = new Process { StartInfo = start };
        var description = $"'OrderDomain {string.Join(' ', arguments)}'" + (runProjections ? "" : " (no projections)");
        var service = new ServiceProcess(process, description, baseAddress);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        if (!process.Start())
            throw new InvalidOperationException($"could not start {description}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        while (_output.Count > KeptLines)
            _output.TryDequeue(out _);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
