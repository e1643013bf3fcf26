using EventSourcing.EventStore;
using EventSourcing.EventStore.Configuration;
using EventSourcing.TestInfrastructure;
using Marten;

namespace EventSourcing.SchemaTools.Tests.Cli;

/// <summary>check --sample-events against events Marten really stored (version 1 of shop.order-placed).</summary>
public sealed class SampleEventsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly string _schema = postgres.NewSchemaName();

    public async Task InitializeAsync()
    {
        var options = new EventStoreOptions { ConnectionString = postgres.ConnectionString, SchemaName = _schema };
        options.Events.Register<Fixtures.V1.OrderPlaced>();
        await using var store = new DocumentStore(MartenConfiguration.CreateStoreOptions(options));
        await using var session = store.LightweightSession();
        session.Events.StartStream(Guid.NewGuid(), new Fixtures.V1.OrderPlaced("o-1", 3), new Fixtures.V1.OrderPlaced("o-2", 4));
        await session.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<CliRun> Check(string fixture, TempDirectory catalog) =>
        CliRun.Events("check", fixture, catalog.Path, "--sample-events", postgres.ConnectionString, "--events-schema", _schema, "--per-type", "5");

    [Fact]
    public async Task stored_events_read_through_the_upcaster_pass()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V2WithUpcaster", dir.Path);

        var check = await Check("V2WithUpcaster", dir);

        Assert.True(check.ExitCode == 0, check.Output + check.Error);
    }

    [Fact]
    public async Task a_stored_older_version_no_upcaster_reads_is_reported_per_event_with_its_stream()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V2Breaking", dir.Path);

        var check = await Check("V2Breaking", dir);

        Assert.Equal(1, check.ExitCode);
        var lines = check.Output.Split('\n').Where(l => l.StartsWith("shop.order_placed: (root): MISSING_UPCASTER: stored event #", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Contains(
            "('shop.order-placed', stream ", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.EndsWith(
            $"is event version 1 of {CliRun.FixturesNamespace}.V2Breaking.OrderPlaced, now at version 2, and no upcaster from version 1 is registered; the service refuses to read it rather than fill it with default values",
            l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_stored_type_no_current_type_or_upcaster_reads_is_reported()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V2PlacedGone", dir.Path);

        var check = await Check("V2PlacedGone", dir);

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("shop.order_placed: (root): UNKNOWN_EVENT_TYPE: the store holds events of type 'shop.order-placed' (event version 1) but no current type or upcaster reads it", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_required_value_missing_from_stored_events_is_reported_per_event()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V2MissingValue", dir.Path);

        var check = await Check("V2MissingValue", dir);

        Assert.Equal(1, check.ExitCode);
        Assert.Equal(2, check.Output.Split('\n').Count(l => l.StartsWith("shop.order_placed: channel: SAMPLE_MISSING_VALUE: stored event #", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task an_upcaster_that_fails_is_reported_per_stored_event()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V2BrokenUpcaster", dir.Path);

        var check = await Check("V2BrokenUpcaster", dir);

        Assert.Equal(1, check.ExitCode);
        var failures = check.Output.Split('\n').Where(l => l.Contains("SAMPLE_UNREADABLE", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, l => l.StartsWith("shop.order_placed: (root): SAMPLE_UNREADABLE: stored event #", StringComparison.Ordinal)
            && l.EndsWith("('shop.order-placed') cannot be read with the current types and upcasters: cannot upcast order o-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task an_unreachable_store_is_bad_input()
    {
        using var dir = new TempDirectory();
        await CliRun.Events("generate", "V1", dir.Path);

        var check = await CliRun.Events("check", "V1", dir.Path, "--sample-events", postgres.ConnectionString, "--events-schema", "no_such_schema");

        Assert.Equal(2, check.ExitCode);
        Assert.Contains("there is no event table no_such_schema.mt_events", check.Error, StringComparison.Ordinal);
    }
}
