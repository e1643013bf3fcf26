using System.Diagnostics;

namespace EventSourcing.Projections.Tests.Crash;

/// <summary>Starts this test assembly as a daemon host process (see <see cref="Program"/>) that a test can kill without warning.</summary>
internal static class DaemonProcess
{
    /// <param name="mode"><c>daemon</c> (HotCold) or <c>daemon-wolverine</c>.</param>
    public static Process Start(string mode, string connectionString, string schema, params string[] projections)
    {
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = false, RedirectStandardError = false, UseShellExecute = false };
        foreach (var arg in new[] { "exec", typeof(Program).Assembly.Location, mode, connectionString, schema }.Concat(projections))
            start.ArgumentList.Add(arg);
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start the {mode} process");
    }

    /// <summary>SIGKILL: no graceful shutdown, no agent stopped, no node row removed, open transactions die with the connections.</summary>
    public static async Task KillAsync(this Process process)
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}
