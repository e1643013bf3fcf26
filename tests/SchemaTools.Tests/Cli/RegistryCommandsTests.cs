using Confluent.SchemaRegistry;
using EventSourcing.SchemaTools.Cli;
using EventSourcing.SchemaTools.Registry;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.SchemaTools.Tests.Cli;

/// <summary>register and check --registry through Confluent's ISchemaRegistryClient, here the embedded
/// PostgreSQL-backed one with the real checker as its gate (the live suite does the same against a server).</summary>
public sealed class RegistryCommandsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Subject = "shop.order_placed";
    private readonly string _schema = postgres.NewSchemaName();

    private PostgresSchemaRegistryClient NewClient() =>
        new(postgres.DataSource, new EmbeddedSchemaRegistryOptions { DatabaseSchema = _schema }, SchemaToolsCompatibilityGate.Instance);

    private async Task<CliRun> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, _ => null, _ => NewClient());
        var code = await SchemaToolsCli.InvokeAsync(args, context, CancellationToken.None);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    private static async Task SetLevel(TempDirectory dir, string level)
    {
        var index = Path.Combine(dir.Path, "index.json");
        await File.WriteAllTextAsync(index, (await File.ReadAllTextAsync(index)).Replace("\"compatibility\": \"BACKWARD\"", $"\"compatibility\": \"{level}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task register_sets_the_level_registers_new_versions_and_is_idempotent()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);
        await CliRun.Events("generate", "V2Compatible", dir.Path);
        await SetLevel(dir, "FULL");

        var first = await Run("register", "--registry", "embedded", "--catalog", dir.Path);
        var second = await Run("register", "--registry", "embedded", "--catalog", dir.Path);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains($"{Subject} v2: registered (id ", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("schema-tools: 0 registered, 2 already present.", second.Output, StringComparison.Ordinal);
        using var client = NewClient();
        Assert.Equal([1, 2], await client.GetSubjectVersionsAsync(Subject));
        Assert.Equal(Confluent.SchemaRegistry.Compatibility.Full, await client.GetCompatibilityAsync(Subject));
    }

    [Fact]
    public async Task check_against_the_registry_names_the_registry_version_broken()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);
        await Run("register", "--registry", "embedded", "--catalog", dir.Path);
        await CliRun.Events("generate", "V2Breaking", dir.Path);

        var check = await Run("check", "--assembly", CliRun.TestAssembly, "--namespace", $"{CliRun.FixturesNamespace}.V2Breaking", "--catalog", dir.Path, "--registry", "embedded");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains($"{Subject}: quantity: TYPE_MISMATCH: reader type string cannot read writer type int (BACKWARD in the registry: cannot read registry version 1)", check.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("REGISTRY_DISAGREES", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_version_the_registry_rejects_exits_1()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);
        await CliRun.Events("generate", "V2Breaking", dir.Path);

        var register = await Run("register", "--registry", "embedded", "--catalog", dir.Path);

        Assert.Equal(1, register.ExitCode);
        Assert.Contains("INCOMPATIBLE: the registry rejected a version:", register.Output, StringComparison.Ordinal);
        Assert.Contains("TYPE_MISMATCH", register.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_bad_registry_url_is_bad_input()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);

        var register = await CliRun.Invoke(["register", "--registry", "not a url", "--catalog", dir.Path]);

        Assert.Equal(2, register.ExitCode);
        Assert.Contains("--registry 'not a url' is not an http(s) URL", register.Error, StringComparison.Ordinal);
    }
}
