namespace EventSourcing.SchemaTools.Tests.Cli;

public sealed class CompatCommandTests
{
    private const string V1 = """{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}""";
    private const string V2 = """{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"note","type":"string","default":""}]}""";
    private const string V3 = """{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"total","type":"int"}]}""";

    [Fact]
    public async Task a_compatible_candidate_exits_0()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.Invoke(["compat", "--level", "FULL_TRANSITIVE", dir.File("v1.avsc", V1), dir.File("v2.avsc", V2)]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("compatible under FULL_TRANSITIVE", run.Output.Trim());
    }

    [Fact]
    public async Task an_incompatible_candidate_exits_1_with_one_line_per_violation()
    {
        using var dir = new TempDirectory();
        var v1 = dir.File("v1.avsc", V1);
        var v3 = dir.File("v3.avsc", V3);

        var run = await CliRun.Invoke(["compat", "--level", "backward", v1, v3]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            $"total: READER_FIELD_MISSING_DEFAULT_VALUE: reader field 'total' of Order has no default and the writer's Order has no field of that name or alias (BACKWARD: {v3} cannot read data written with {v1})\nincompatible under BACKWARD: 1 violation(s)",
            run.Output.Trim().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task json_output_names_rule_path_and_previous_file()
    {
        using var dir = new TempDirectory();
        var v1 = dir.File("v1.avsc", V1);

        var run = await CliRun.Invoke(["compat", "--level", "FULL", "--format", "json", v1, dir.File("v3.avsc", V3)]);

        Assert.Equal(1, run.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(run.Output);
        Assert.False(json.RootElement.GetProperty("compatible").GetBoolean());
        Assert.Equal("FULL", json.RootElement.GetProperty("level").GetString());
        var violation = Assert.Single(json.RootElement.GetProperty("violations").EnumerateArray());
        Assert.Equal(("total", "READER_FIELD_MISSING_DEFAULT_VALUE", "backward", v1),
            (violation.GetProperty("path").GetString(), violation.GetProperty("rule").GetString(), violation.GetProperty("direction").GetString(), violation.GetProperty("previous").GetString()));
    }

    [Theory]
    [InlineData("\"long\"", "\"int\"", 1)]
    [InlineData("[\"null\",\"string\"]", "\"string\"", 1)]
    [InlineData("{\"type\":\"map\",\"values\":\"int\"}", "{\"type\":\"map\",\"values\":\"long\"}", 0)]
    [InlineData("{\"type\":\"fixed\",\"name\":\"F\",\"size\":4}", "{\"type\":\"fixed\",\"name\":\"F\",\"size\":4}", 0)]
    public async Task any_avro_schema_can_be_compared(string previous, string candidate, int expected)
    {
        using var dir = new TempDirectory();

        var run = await CliRun.Invoke(["compat", "--level", "BACKWARD", dir.File("a.avsc", previous), dir.File("b.avsc", candidate)]);

        Assert.Equal(expected, run.ExitCode);
    }

    [Fact]
    public async Task transitive_levels_read_every_previous_file_oldest_first()
    {
        using var dir = new TempDirectory();
        var files = new[] { dir.File("v1.avsc", V3), dir.File("v2.avsc", V1), dir.File("v3.avsc", V1) };

        var latestOnly = await CliRun.Invoke(["compat", "--level", "FORWARD", .. files]);
        var transitive = await CliRun.Invoke(["compat", "--level", "FORWARD_TRANSITIVE", .. files]);

        Assert.Equal(0, latestOnly.ExitCode);
        Assert.Equal(1, transitive.ExitCode);
        Assert.Contains($"{files[0]} cannot read data written with {files[2]}", transitive.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_malformed_schema_exits_2_naming_file_line_and_column()
    {
        using var dir = new TempDirectory();
        var bad = dir.File("bad.avsc", "{\"type\": \"record\", \"name\": \"R\",\n \"fields\": [{\"name\": \"a\" \"type\": \"int\"}]}");

        var run = await CliRun.Invoke(["compat", "--level", "BACKWARD", dir.File("v1.avsc", V1), bad]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"schema-tools: {bad}(2,26): invalid JSON", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData("SIDEWAYS", "--level 'SIDEWAYS' is not a compatibility level")]
    public async Task an_unknown_level_exits_2(string level, string message)
    {
        using var dir = new TempDirectory();

        var run = await CliRun.Invoke(["compat", "--level", level, dir.File("a.avsc", V1), dir.File("b.avsc", V1)]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_missing_file_exits_2()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.Invoke(["compat", "--level", "BACKWARD", dir.File("a.avsc", V1), Path.Combine(dir.Path, "missing.avsc")]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("missing.avsc does not exist", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_single_file_exits_2()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.Invoke(["compat", "--level", "BACKWARD", dir.File("a.avsc", V1)]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("give at least one previous schema and the candidate", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compat")]
    [InlineData("compat", "--bogus")]
    [InlineData("nonsense")]
    [InlineData]
    public async Task parse_errors_exit_2(params string[] args)
    {
        var run = await CliRun.Invoke(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("schema-tools --help", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("generate")]
    [InlineData("check")]
    [InlineData("compat")]
    [InlineData("register")]
    public async Task every_command_has_help_with_exit_codes(params string[] command)
    {
        var run = await CliRun.Invoke([.. command, "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Exit", run.Output, StringComparison.Ordinal);
        Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
    }
}
