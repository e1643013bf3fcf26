using Confluent.SchemaRegistry;

namespace EventSourcing.SchemaTools.Cli;

/// <summary>What a command may use from its surroundings, so tests can invoke the CLI in-process.</summary>
/// <param name="Output">stdout: results and violations.</param>
/// <param name="Error">stderr: bad-input messages.</param>
/// <param name="Variable">Reads an environment variable (GITHUB_ACTIONS).</param>
/// <param name="RegistryClient">Builds the registry client for a URL (Confluent's CachedSchemaRegistryClient by default).</param>
public sealed record CliContext(TextWriter Output, TextWriter Error, Func<string, string?> Variable, Func<string, ISchemaRegistryClient> RegistryClient)
{
    public static CliContext Console { get; } = new(System.Console.Out, System.Console.Error, Environment.GetEnvironmentVariable, DefaultRegistryClient);

    public bool UnderGitHubActions => string.Equals(Variable("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);

    public static ISchemaRegistryClient DefaultRegistryClient(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new CliInputException($"--registry '{url}' is not an http(s) URL, e.g. http://localhost:8081.");
        return new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = url, RequestTimeoutMs = 15000 });
    }
}
