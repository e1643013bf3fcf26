namespace EventSourcing.Projections.DeadLetters;

/// <summary>An event a projection could not apply, kept with the reason until retried or discarded.</summary>
public sealed record DeadLetter(
    string Projection,
    long Sequence,
    Guid EventId,
    string StreamKey,
    string EventType,
    string Error,
    DateTimeOffset FailedAt);
