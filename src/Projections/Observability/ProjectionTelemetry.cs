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

    public static TagList Tags(string projection) => new() { { "projection", projection } };
}
