using EventSourcing.SchemaTools.Cli;

namespace EventSourcing.SchemaTools.Tests.Cli;

/// <summary>Runs schema-tools in-process and captures what it printed.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public const string FixturesNamespace = "EventSourcing.SchemaTools.Tests.Cli.Fixtures";

    public static string TestAssembly => typeof(CliRun).Assembly.Location;

    public static async Task<CliRun> Invoke(string[] args, IReadOnlyDictionary<string, string>? variables = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, name => variables?.GetValueOrDefault(name), CliContext.DefaultRegistryClient);
        var code = await SchemaToolsCli.InvokeAsync(args, context, CancellationToken.None);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>generate/check over one fixture namespace (V1, V2Compatible, ...) with a given catalog.</summary>
    public static Task<CliRun> Events(string command, string fixture, string catalog, params string[] more) =>
        Invoke([command, "--assembly", TestAssembly, "--namespace", $"{FixturesNamespace}.{fixture}", "--catalog", catalog, .. more]);
}

/// <summary>A temporary directory removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("schema-tools-tests-").FullName;

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
