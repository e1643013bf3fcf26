using System.Text.Json;

namespace EventSourcing.SchemaTools.Tests.Cli;

public sealed class GenerateAndCheckTests
{
    [Fact]
    public async Task generate_writes_the_first_version_and_the_index_and_is_idempotent()
    {
        using var dir = new TempDirectory();

        var first = await CliRun.Events("generate", "V1", dir.Path);
        var index = await File.ReadAllTextAsync(Path.Combine(dir.Path, "index.json"));
        var schema = await File.ReadAllTextAsync(Path.Combine(dir.Path, "shop.order_placed", "v1.avsc"));
        var second = await CliRun.Events("generate", "V1", dir.Path);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("shop.order_placed: wrote v1", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("shop.order_placed: unchanged (v1)", second.Output, StringComparison.Ordinal);
        Assert.Equal(index, await File.ReadAllTextAsync(Path.Combine(dir.Path, "index.json")));
        Assert.False(File.Exists(Path.Combine(dir.Path, "shop.order_placed", "v2.avsc")));
        Assert.Contains("\"name\": \"order_placed\"", schema, StringComparison.Ordinal);
        Assert.Equal("""
            {
              "defaultCompatibility": "BACKWARD",
              "subjects": {
                "shop.order_placed": {
                  "compatibility": "BACKWARD",
                  "versions": [
                    {
                      "version": 1,
                      "eventVersion": 1,
                      "file": "shop.order_placed/v1.avsc"
                    }
                  ]
                }
              }
            }

            """, index);
    }

    [Fact]
    public async Task check_passes_when_the_catalog_is_current()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);

        var check = await CliRun.Events("check", "V1", dir.Path);

        Assert.Equal(0, check.ExitCode);
        Assert.Equal("schema-tools: 1 subject(s) checked, all compatible (event types from [EventName] scan of EventSourcing.SchemaTools.Tests (no EventTypeRegistry configuration found, so no upcasters are known)).", check.Output.Trim());
    }

    [Fact]
    public async Task check_fails_until_a_compatible_change_is_generated_into_the_catalog()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);

        var stale = await CliRun.Events("check", "V2Compatible", dir.Path);
        await CliRun.Events("generate", "V2Compatible", dir.Path);
        var current = await CliRun.Events("check", "V2Compatible", dir.Path);

        Assert.Equal(1, stale.ExitCode);
        Assert.Contains("shop.order_placed: (root): CATALOG_OUT_OF_DATE:", stale.Output, StringComparison.Ordinal);
        Assert.Equal(0, current.ExitCode);
    }

    [Fact]
    public async Task an_incompatible_change_fails_with_one_line_naming_field_and_rule()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);
        await CliRun.Events("generate", "V2Breaking", dir.Path);

        var check = await CliRun.Events("check", "V2Breaking", dir.Path);

        Assert.Equal(1, check.ExitCode);
        var line = Assert.Single(check.Output.Split('\n'), l => l.Contains("TYPE_MISMATCH", StringComparison.Ordinal));
        Assert.Equal("shop.order_placed: quantity: TYPE_MISMATCH: reader type string cannot read writer type int (BACKWARD: the current type cannot read data written with v1)", line);
    }

    [Fact]
    public async Task json_output_lists_the_findings()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);
        await CliRun.Events("generate", "V2Breaking", dir.Path);

        var check = await CliRun.Events("check", "V2Breaking", dir.Path, "--format", "json");

        Assert.Equal(1, check.ExitCode);
        using var json = JsonDocument.Parse(check.Output);
        Assert.False(json.RootElement.GetProperty("compatible").GetBoolean());
        var finding = json.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("rule").GetString() == "TYPE_MISMATCH");
        Assert.Equal("quantity", finding.GetProperty("path").GetString());
        Assert.Equal(Path.Combine(dir.Path, "shop.order_placed/v1.avsc"), finding.GetProperty("file").GetString());
    }

    [Fact]
    public async Task under_github_actions_each_violation_is_an_error_annotation()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);
        await CliRun.Events("generate", "V2Breaking", dir.Path);
        var args = new[] { "check", "--assembly", CliRun.TestAssembly, "--namespace", $"{CliRun.FixturesNamespace}.V2Breaking", "--catalog", dir.Path };

        var check = await CliRun.Invoke(args, new Dictionary<string, string>(StringComparer.Ordinal) { ["GITHUB_ACTIONS"] = "true" });

        Assert.Equal(1, check.ExitCode);
        Assert.Contains($"::error file={dir.Path}/shop.order_placed/v1.avsc,title=schema-tools TYPE_MISMATCH::shop.order_placed: quantity: reader type string cannot read writer type int", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_subject_missing_from_the_catalog_fails_the_gate()
    {
        using var dir = new TempDirectory();

        var check = await CliRun.Events("check", "V1", dir.Path);

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("shop.order_placed: (root): NOT_IN_CATALOG:", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_missing_assembly_is_bad_input()
    {
        using var dir = new TempDirectory();

        var check = await CliRun.Invoke(["check", "--assembly", Path.Combine(dir.Path, "Nope.dll"), "--catalog", dir.Path]);

        Assert.Equal(2, check.ExitCode);
        Assert.Contains("Nope.dll does not exist; build the project first.", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_malformed_catalog_schema_is_bad_input_naming_file_and_position()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);
        await CliRun.Events("generate", "V2Compatible", dir.Path);
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "shop.order_placed", "v1.avsc"), "{\"type\": \"record\",\n \"name\": \"x\", \"fields\": [{\"name\": \"a\", \"type\": \"nope\"}]}");

        var check = await CliRun.Events("check", "V2Compatible", dir.Path);

        Assert.Equal(2, check.ExitCode);
        Assert.Contains($"{Path.Combine(dir.Path, "shop.order_placed/v1.avsc")}(2,48): unknown type \"nope\"", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_malformed_index_is_bad_input_naming_the_file()
    {
        using var dir = new TempDirectory();
        dir.File("index.json", "{ \"subjects\": ");

        var check = await CliRun.Events("check", "V1", dir.Path);

        Assert.Equal(2, check.ExitCode);
        Assert.Contains($"{Path.Combine(dir.Path, "index.json")}: not a valid catalog index", check.Error, StringComparison.Ordinal);
    }
}

public sealed class GenerateErrorsTests
{
    [Fact]
    public async Task a_type_without_an_avro_mapping_is_bad_input_naming_the_property()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.Invoke(["generate", "--assembly", CliRun.TestAssembly, "--namespace", "EventSourcing.SchemaTools.Tests.Generation", "--catalog", dir.Path]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("BadDictionary.ByNumber: Avro maps have string keys, but this dictionary's key is Int32.", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir.Path, "index.json")));
    }
}
