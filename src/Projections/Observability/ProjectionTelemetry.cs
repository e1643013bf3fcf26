using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EventSourcing.Projections.Observability;

/// <summary>
/// OpenTelemetry instruments of the projection daemon: register the meter and the activity source
/// by <see cref="Name"/> (<c>AddMeter(ProjectionTelemetry.Name)</c>, <c>AddSource(ProjectionTelemetry.Name)</c>).
/// Every measurement carries the tag <c>projection</c>.
/// </summary>
public static class ProjectionTelemetry
{
    public const string Name = "EventSourcing.Projections";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> EventsProcessed =
        Meter.CreateCounter<long>("projections.events.processed", "{event}", "Events applied to read models");

    public static readonly Histogram<int> BatchSize =
        Meter.CreateHistogram<int>("projections.batch.size", "{event}", "Events per batch");

    public static readonly Histogram<double> BatchDuration =
        Meter.CreateHistogram<double>("projections.batch.duration", "ms", "Load, apply and bulk write of one batch");

    public static readonly Counter<long> Retries =
        Meter.CreateCounter<long>("projections.sink.retries", "{retry}", "Sink calls or items retried after a transient failure");

    public static readonly Counter<long> DeadLetters =
        Meter.CreateCounter<long>("projections.dead_letters", "{event}", "Events dead-lettered");

    /// <summary>Events between the high-water mark and each projection's checkpoint, as last observed by this host.</summary>
    public static readonly Histogram<long> Lag =
        Meter.CreateHistogram<long>("projections.lag", "{event}", "High-water mark minus checkpoint after each batch");

    /// <summary>Each time a read model is found stalled (events waiting, checkpoint still) by a host's progress watch; tags <c>projection</c>, <c>node</c>.</summary>
    public static readonly Counter<long> Stalls =
        Meter.CreateCounter<long>("projections.stalls", "{stall}", "Read models found assigned but not advancing while events wait");

    /// <summary>Agents this node released because Wolverine assigned them here while they were not running (see docs/scaling.md).</summary>
    public static readonly Counter<long> AgentsReleased =
        Meter.CreateCounter<long>("projections.agents.released", "{agent}", "Dead agents released so the leader places them again");

    /// <summary>
    /// Hosts taken for dead because their lease expired (<c>ProjectionsOptions.HostLease</c>); tags <c>host</c> (the one taken for
    /// dead) and <c>by</c> (the peer that terminated its sessions, or <c>peer</c> when the host itself finds out on resuming).
    /// </summary>
    public static readonly Counter<long> HostsTakenForDead =
        Meter.CreateCounter<long>("projections.hosts.taken_for_dead", "{host}", "Projection hosts whose lease expired and whose sessions were terminated");

    /// <summary>Agents this host removed after a failure stopped them, so Marten's coordinator starts them again (HotCold, Solo).</summary>
    public static readonly Counter<long> AgentsRestarted =
        Meter.CreateCounter<long>("projections.agents.restarted", "{agent}", "Agents stopped by a failure and handed back to the coordinator to start again");

    private static readonly ConcurrentDictionary<string, double> StalledNow = new(StringComparer.Ordinal);

    /// <summary>Seconds without progress of each read model the progress watch currently finds stalled (absent: not stalled).</summary>
    public static readonly ObservableGauge<double> Stalled = Meter.CreateObservableGauge("projections.stalled", () =>
        StalledNow.Select(s => new Measurement<double>(s.Value, Tags(s.Key))).ToList(), "s",
        "Seconds a read model has had events waiting and a checkpoint that does not move");

    internal static void SetStalled(IReadOnlyDictionary<string, double> stalled)
    {
        foreach (var name in StalledNow.Keys.Where(n => !stalled.ContainsKey(n)))
            StalledNow.TryRemove(name, out _);
        foreach (var (name, seconds) in stalled)
            StalledNow[name] = seconds;
    }

    public static TagList Tags(string projection) => new() { { "projection", projection } };
}
