namespace EventSourcing.Projections.Rebuild;

/// <summary>Progress of a rebuild or replay pass: position out of target, events per second, estimated time left.</summary>
public sealed record RebuildProgress(long Position, long Target, double EventsPerSecond)
{
    public double Fraction => Target == 0 ? 1 : Math.Min(1, (double)Position / Target);

    public TimeSpan? Eta => EventsPerSecond <= 0 ? null : TimeSpan.FromSeconds((Target - Position) / EventsPerSecond);
}
