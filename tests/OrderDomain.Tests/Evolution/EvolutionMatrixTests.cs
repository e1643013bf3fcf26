using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Upcasting;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.OrderDomain.Tests.Evolution;

/// <summary>
/// Evolutions x read paths. Each cell either yields exactly the state today's code expects, or the
/// evolution fails the gate with a finding naming the missing upcaster and every path refuses the old
/// events; never a silent default.
/// </summary>
public sealed class EvolutionMatrixTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    public enum ReadPath { Load, TimeTravel, ReadAll, Daemon, Rebuild, DeadLetterReplay, KafkaPublishing }

    public static TheoryData<string, ReadPath> Cells()
    {
        var cells = new TheoryData<string, ReadPath>();
        foreach (var evolution in Evolution.All.Where(e => e != Evolution.SplitForgotten))
        {
            foreach (var path in Enum.GetValues<ReadPath>())
                cells.Add(evolution.Name, path);
        }

        return cells;
    }

    public static TheoryData<string> Evolutions() => [.. Evolution.All.Select(e => e.Name)];

    private static Evolution Named(string name) => Evolution.All.Single(e => e.Name == name);

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task each_read_path_yields_the_expected_state_or_rejects_the_old_event(string evolutionName, ReadPath path)
    {
        var evolution = Named(evolutionName);
        var lab = new EvolutionLab(postgres, evolution);
        await lab.StoreReleaseOneAsync();

        Func<Task<IReadOnlyList<string>>> read = path switch
        {
            ReadPath.Load => lab.LoadAsync,
            ReadPath.TimeTravel => lab.TimeTravelAsync,
            ReadPath.ReadAll => lab.ReadAllAsync,
            ReadPath.Daemon => lab.DaemonAsync,
            ReadPath.Rebuild => lab.RebuildAsync,
            ReadPath.DeadLetterReplay => lab.DeadLetterReplayAsync,
            _ => lab.KafkaAsync,
        };

        if (evolution.Expected is { } expected)
        {
            var state = await read();
            if (path == ReadPath.DeadLetterReplay)
                Assert.Equal(expected.Order(StringComparer.Ordinal), state.Order(StringComparer.Ordinal));
            else
                Assert.Equal(expected, state);
            return;
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(read);
        var stale = StaleEvents.Find(error);
        Assert.True(stale is not null, $"{path} failed with something else than a stale version: {error}");
        Assert.Equal(("inventory.stock_received", 1, 2), (stale.EventName, stale.StoredVersion, stale.CurrentVersion));
        Assert.Equal((lab.Stream, 1L, lab.FirstSequence), (stale.StreamId, stale.StreamVersion, stale.Sequence));
    }

    [Theory]
    [MemberData(nameof(Evolutions))]
    public async Task sampling_stored_events_reports_exactly_the_evolutions_the_runtime_rejects(string evolutionName)
    {
        var evolution = Named(evolutionName);
        var lab = new EvolutionLab(postgres, evolution);
        await lab.StoreReleaseOneAsync();

        var findings = await lab.SampleAsync();

        if (evolution.Expected is not null)
            Assert.Empty(findings);
        else if (evolution == Evolution.SplitForgotten)
            Assert.Contains(findings, f => f.Rule == "UNKNOWN_EVENT_TYPE" && f.Subject == "inventory.stock_moved");
        else
            Assert.Equal(2, findings.Count(f => f.Rule == "MISSING_UPCASTER" && f.Message.Contains($"stream {lab.Stream}", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Evolutions))]
    public void the_gate_passes_the_evolutions_that_read_right_and_names_the_missing_upcaster_of_the_others(string evolutionName)
    {
        var evolution = Named(evolutionName);

        var findings = EvolutionGate.Run(evolution);

        if (evolution.GateFinding is null)
            Assert.True(findings.Count == 0, string.Join("\n", findings));
        else
            Assert.Contains(evolution.GateFinding, findings.Select(f => f.ToString()));
    }

    [Fact]
    public void every_evolution_either_reads_right_or_fails_the_gate()
    {
        foreach (var evolution in Evolution.All)
            Assert.True((evolution.Expected is null) == (evolution.GateFinding is not null), evolution.Name);
    }

    [Fact]
    public void an_upcaster_registered_for_an_old_version_is_what_turns_the_guard_off()
    {
        var registry = new EventTypeRegistry();
        Evolution.RenameAliasOnly.Configure(registry);
        Assert.Equal(["inventory.stock_received"], registry.GuardedStoredNames);

        var fixedRegistry = new EventTypeRegistry();
        Evolution.RenameWithUpcaster.Configure(fixedRegistry);
        Assert.Empty(fixedRegistry.GuardedStoredNames);
    }
}
