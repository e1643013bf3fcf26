using System.Diagnostics;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.Cluster.Tests;

/// <summary>
/// One real <c>OrderDomain serve</c> process of the built sample (<c>sample/OrderDomain/bin/{Configuration}/net10.0</c>),
/// configured only through its environment, as an operator would. Its PostgreSQL connections carry the application name
/// <see cref="Name"/>, so the test can see which advisory locks it holds.
/// </summary>
internal sealed class ServeNode : IAsyncDisposable
{
    private readonly Process _process;

    private ServeNode(string name, Process process, int port)
    {
        Name = name;
        _process = process;
        Port = port;
    }

    public string Name { get; }

    /// <summary>The HTTP port it serves on (127.0.0.1).</summary>
    public int Port { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ServeNode Start(string name, string connectionString, string eventSchema, string readSchema, string distribution, int port,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = Path.Combine(RepositoryRoot.Path, "sample", "OrderDomain", "bin", Configuration, "net10.0", "OrderDomain.dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} is missing: build the solution first (dotnet build EventSourcing.sln -c {Configuration})");
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(dotnet) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "exec", dll, "serve", "--urls", $"http://127.0.0.1:{port}" })
            start.ArgumentList.Add(arg);
        start.Environment["Orders__ConnectionString"] = connectionString + $";Application Name={name}";
        start.Environment["Orders__EventSchema"] = eventSchema;
        start.Environment["Orders__ReadModelSchema"] = readSchema;
        start.Environment["Orders__Distribution"] = distribution;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        var node = new ServeNode(name, process, port);
        // the output is drained (a full pipe would block the node) and kept for a failing test's message
        process.OutputDataReceived += (_, e) => node.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => node.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    private readonly Queue<string> _log = new();

    private void Remember(string? line)
    {
        if (line is null)
            return;
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > 2000)
                _log.Dequeue();
        }
    }

    /// <summary>The node's newest output lines.</summary>
    public string Tail(int lines = 40)
    {
        lock (_log)
            return string.Join('\n', _log.TakeLast(lines));
    }

    public int Count(string text)
    {
        lock (_log)
            return _log.Count(l => l.Contains(text, StringComparison.Ordinal));
    }

    /// <summary>SIGKILL: no shutdown, connections die with the process.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>
    /// SIGTERM, as an orchestrator's rolling restart sends it: the host shuts down in order (agents stopped, locks and lease
    /// released, Wolverine node row removed) and exits; throws if it has not exited within <paramref name="deadline"/> (60 s).
    /// </summary>
    public async Task TerminateAsync(TimeSpan? deadline = null)
    {
        if (_process.HasExited)
            throw new InvalidOperationException($"{Name} had already exited before SIGTERM: {Tail(10)}");
        await SignalAsync("TERM");
        var wait = deadline ?? TimeSpan.FromSeconds(60);
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} (pid {Pid}) still running {wait.TotalSeconds:0} s after SIGTERM: {Tail(10)}", e);
        }
    }

    /// <summary>SIGSTOP: the process freezes, its connections (and their locks) stay open.</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT.</summary>
    public Task ThawAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {_process.Id}") { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not run kill");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
            throw new InvalidOperationException($"kill -{signal} {_process.Id} exited with {kill.ExitCode}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await ThawAsync();
        await KillAsync();
        _process.Dispose();
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
}
