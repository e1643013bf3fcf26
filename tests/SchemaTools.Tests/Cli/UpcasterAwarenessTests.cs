namespace EventSourcing.SchemaTools.Tests.Cli;

public sealed class UpcasterAwarenessTests
{
    /// <summary>A catalog with v1 and the breaking v2 of shop.order-placed, at level NONE so only the upcaster rule speaks.</summary>
    private static async Task<TempDirectory> CatalogWithBreakingChange(string fixture)
    {
        var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);
        await CliRun.Events("generate", fixture, dir.Path);
        var index = Path.Combine(dir.Path, "index.json");
        await File.WriteAllTextAsync(index, (await File.ReadAllTextAsync(index)).Replace("\"compatibility\": \"BACKWARD\"", "\"compatibility\": \"NONE\"", StringComparison.Ordinal));
        return dir;
    }

    [Fact]
    public async Task an_incompatible_older_version_without_an_upcaster_is_named()
    {
        using var dir = await CatalogWithBreakingChange("V2Breaking");

        var check = await CliRun.Events("check", "V2Breaking", dir.Path);

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("shop.order_placed: (root): MISSING_UPCASTER: stored 'shop.order-placed' events of event version 1 (catalog v1) are not BACKWARD compatible with event version 2, and no upcaster from version 1 is registered", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_registered_upcaster_satisfies_the_gate()
    {
        using var dir = await CatalogWithBreakingChange("V2WithUpcaster");

        var check = await CliRun.Events("check", "V2WithUpcaster", dir.Path);

        Assert.True(check.ExitCode == 0, check.Output + check.Error);
        Assert.Contains($"event types from {CliRun.FixturesNamespace}.V2WithUpcaster.OrderEventTypes.Configure", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_explicit_configuration_member_is_used()
    {
        using var dir = await CatalogWithBreakingChange("V2WithUpcaster");

        var check = await CliRun.Events("check", "V2WithUpcaster", dir.Path, "--event-types", $"{CliRun.FixturesNamespace}.V2WithUpcaster.OrderEventTypes.Configure");
        var wrong = await CliRun.Events("check", "V2WithUpcaster", dir.Path, "--event-types", $"{CliRun.FixturesNamespace}.V2WithUpcaster.Nope.Configure");

        Assert.Equal(0, check.ExitCode);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("--event-types: type 'EventSourcing.SchemaTools.Tests.Cli.Fixtures.V2WithUpcaster.Nope' is not in", wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_incompatible_change_without_a_version_bump_is_named()
    {
        using var dir = await CatalogWithBreakingChange("V2BreakingNotBumped");

        var check = await CliRun.Events("check", "V2BreakingNotBumped", dir.Path);

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("EVENT_VERSION_NOT_BUMPED: v1 (event version 1) is not BACKWARD compatible with", check.Output, StringComparison.Ordinal);
    }
}
