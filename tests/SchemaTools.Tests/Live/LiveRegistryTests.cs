using Confluent.SchemaRegistry;
using EventSourcing.SchemaTools.Compatibility;
using EventSourcing.SchemaTools.Tests.Cli;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.SchemaTools.Tests.Live;

/// <summary>
/// Against a real Confluent Schema Registry (SCHEMA_REGISTRY_URL, e.g. after 'docker compose up -d'):
/// register is idempotent and sets the level, and the registry's verdicts agree with our checker.
/// Skipped with the reason when the variable is unset.
/// </summary>
public sealed class LiveRegistryTests
{
    private static readonly string[] Candidates =
    [
        """{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"note","type":"string","default":""}]}""",
        """{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"total","type":"int"}]}""",
        """{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}""",
        """{"type":"record","name":"Order","fields":[{"name":"id","type":["null","string"],"default":null}]}""",
        """{"type":"record","name":"Order","fields":[{"name":"id","type":"bytes"}]}""",
        """{"type":"record","name":"Renamed","aliases":["Order"],"fields":[{"name":"orderId","aliases":["id"],"type":"string"}]}""",
    ];

    [SkippableFact]
    public async Task the_registry_and_the_checker_agree_at_every_level()
    {
        var url = LiveServices.RequireSchemaRegistry();
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = url.ToString() });
        const string v1 = """{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}""";
        var disagreements = new List<string>();
        foreach (var level in Enum.GetValues<CompatibilityLevel>())
        {
            var subject = $"schema-tools-live-{Guid.NewGuid():N}";
            await client.UpdateCompatibilityAsync(RegistrySync.RegistryLevels.ToConfluent(level), subject);
            await client.RegisterSchemaAsync(subject, new Schema(v1, SchemaType.Avro));
            foreach (var candidate in Candidates)
            {
                var theirs = await client.IsCompatibleAsync(subject, new Schema(candidate, SchemaType.Avro));
                var ours = SchemaCompatibility.Check(level, [v1], candidate).IsCompatible;
                if (theirs != ours)
                    disagreements.Add($"{level} {candidate}: registry {theirs}, checker {ours}");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    [SkippableFact]
    public async Task register_is_idempotent_and_sets_the_level_against_a_live_registry()
    {
        var url = LiveServices.RequireSchemaRegistry().ToString();
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);
        var index = Path.Combine(dir.Path, "index.json");
        var subject = $"shop.order_placed_{Guid.NewGuid():N}";
        // A unique subject per run, so reruns against the same registry start clean.
        await File.WriteAllTextAsync(index, (await File.ReadAllTextAsync(index)).Replace("\"shop.order_placed\": {", $"\"{subject}\": {{", StringComparison.Ordinal));

        var first = await CliRun.Invoke(["register", "--registry", url, "--catalog", dir.Path]);
        var second = await CliRun.Invoke(["register", "--registry", url, "--catalog", dir.Path]);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains("1 registered, 0 already present", first.Output, StringComparison.Ordinal);
        Assert.Contains("0 registered, 1 already present", second.Output, StringComparison.Ordinal);
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = url });
        Assert.Equal(Confluent.SchemaRegistry.Compatibility.Backward, await client.GetCompatibilityAsync(subject));
    }

    [SkippableFact]
    public async Task check_against_a_live_registry_names_the_broken_field()
    {
        var url = LiveServices.RequireSchemaRegistry().ToString();
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);
        var register = await CliRun.Invoke(["register", "--registry", url, "--catalog", dir.Path]);
        await CliRun.Events("generate", "V2Breaking", dir.Path);

        var check = await CliRun.Events("check", "V2Breaking", dir.Path, "--registry", url);

        Assert.True(register.ExitCode == 0, register.Output + register.Error);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("shop.order_placed: quantity: TYPE_MISMATCH: reader type string cannot read writer type int (BACKWARD in the registry: cannot read registry version", check.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("REGISTRY_DISAGREES", check.Output, StringComparison.Ordinal);
    }
}
