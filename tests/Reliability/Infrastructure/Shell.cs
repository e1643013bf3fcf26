using System.Diagnostics;
using System.Text;

namespace EventSourcing.Reliability.Infrastructure;

/// <summary>Runs a short command to completion with a deadline; a non-zero exit is an error naming the command and its output.</summary>
public static class Shell
{
    public static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException e)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{Describe(file, arguments)}' did not finish within {timeout.TotalSeconds:0} s", e);
        }

        var output = await stdout;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'{Describe(file, arguments)}' exited with {process.ExitCode}: {output}{await stderr}");
        return output;
    }

    /// <summary>Runs as the <c>postgres</c> user when this process is root (initdb and the server refuse root).</summary>
    public static Task<string> RunAsPostgresAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout) =>
        Environment.UserName != "root"
            ? RunAsync(file, arguments, timeout)
            : RunAsync("su", ["postgres", "-s", "/bin/bash", "-c", Quote([file, .. arguments])], timeout);

    private static string Quote(IEnumerable<string> words)
    {
        var text = new StringBuilder();
        foreach (var word in words)
            text.Append('\'').Append(word.Replace("'", "'\\''", StringComparison.Ordinal)).Append("' ");
        return text.ToString();
    }

    private static string Describe(string file, IReadOnlyList<string> arguments) => file + " " + string.Join(' ', arguments);
}
