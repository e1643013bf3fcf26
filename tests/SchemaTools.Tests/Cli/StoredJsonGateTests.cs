namespace EventSourcing.SchemaTools.Tests.Cli;

/// <summary>
/// The gate checks stored JSON as the event store reads it (by name), not only Avro: a rename that the
/// Avro alias makes compatible still needs an upcaster, and a type that is gone needs its rename or split.
/// </summary>
public sealed class StoredJsonGateTests
{
    private static async Task<TempDirectory> CatalogAfter(string fixture)
    {
        var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);
        await CliRun.Events("generate", fixture, dir.Path);
        return dir;
    }

    [Fact]
    public async Task a_rename_with_only_an_avro_alias_fails_naming_the_field_and_the_missing_upcaster()
    {
        using var dir = await CatalogAfter("V2RenamedAliasOnly");

        var check = await CliRun.Events("check", "V2RenamedAliasOnly", dir.Path);

        Assert.Equal(1, check.ExitCode);
        var line = Assert.Single(check.Output.Split('\n'), l => l.Contains("MISSING_UPCASTER", StringComparison.Ordinal));
        Assert.Equal(
            "shop.order_placed: count: MISSING_UPCASTER: stored 'shop.order-placed' events of event version 1 (catalog v1) hold this field as 'quantity': " +
            "the Avro alias lets Avro readers find it, but the event store binds stored JSON by name and would leave count at its default; " +
            "register an upcaster from version 1 that renames 'quantity' to 'count'",
            line);
        Assert.DoesNotContain("TYPE_MISMATCH", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_rename_without_a_version_bump_fails_because_the_store_cannot_tell_the_shapes_apart()
    {
        using var dir = await CatalogAfter("V2RenamedNotBumped");

        var check = await CliRun.Events("check", "V2RenamedNotBumped", dir.Path);

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("shop.order_placed: count: EVENT_VERSION_NOT_BUMPED: stored 'shop.order-placed' events of event version 1 (catalog v1) hold this field as 'quantity'", check.Output, StringComparison.Ordinal);
        Assert.Contains("raise the Version and register an upcaster from 1 that renames 'quantity' to 'count'", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_rename_with_its_upcaster_passes()
    {
        using var dir = await CatalogAfter("V2RenamedWithUpcaster");

        var check = await CliRun.Events("check", "V2RenamedWithUpcaster", dir.Path);

        Assert.True(check.ExitCode == 0, check.Output + check.Error);
    }

    [Fact]
    public async Task a_retype_without_an_upcaster_names_the_field_too()
    {
        using var dir = await CatalogAfter("V2Breaking");
        var index = Path.Combine(dir.Path, "index.json");
        await File.WriteAllTextAsync(index, (await File.ReadAllTextAsync(index)).Replace("\"compatibility\": \"BACKWARD\"", "\"compatibility\": \"NONE\"", StringComparison.Ordinal));

        var check = await CliRun.Events("check", "V2Breaking", dir.Path);

        Assert.Equal(1, check.ExitCode);
        Assert.Contains(
            "shop.order_placed: quantity: MISSING_UPCASTER: stored 'shop.order-placed' events of event version 1 (catalog v1) hold this field as int, which the current string does not bind; register an upcaster from version 1 that converts 'quantity'",
            check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_catalog_subject_with_no_current_type_needs_its_rename_or_split()
    {
        using var gone = await CatalogAfter("V2PlacedGone");
        using var renamed = await CatalogAfter("V2PlacedRenamed");

        var failing = await CliRun.Events("check", "V2PlacedGone", gone.Path);
        var passing = await CliRun.Events("check", "V2PlacedRenamed", renamed.Path);

        Assert.Equal(1, failing.ExitCode);
        Assert.Contains(
            "shop.order_placed: (root): MISSING_UPCASTER: stored 'shop.order_placed' events of event version 1 (catalog v1) have no current event type and no upcaster from version 1 is registered; register the rename (EventTypeRegistry.Rename) or split (EventTypeRegistry.Split) that turns them into current events",
            failing.Output, StringComparison.Ordinal);
        Assert.True(passing.ExitCode == 0, passing.Output + passing.Error);
    }
}
