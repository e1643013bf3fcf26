namespace EventSourcing.Projections.Verification;

/// <summary>
/// What <c>projections verify</c> found: the live version of a read model compared with a fresh fold of the log up to
/// <see cref="Checkpoint"/>. <see cref="Compared"/> counts the documents that exist on either side; documents changed
/// after the checkpoint while the verify ran are left out and counted in <see cref="ChangedSinceCheckpoint"/>.
/// </summary>
/// <param name="EventsFolded">Events of the projection's types up to the checkpoint, applied by the fresh fold.</param>
/// <param name="EventsFailed">Events the projection's code rejected in the fresh fold (as the daemon dead-letters them).</param>
/// <param name="DeadLetters">The projection's dead letters now: an event the sink rejected shows up as a difference.</param>
/// <param name="Differences">The first differing documents, up to the limit asked for.</param>
public sealed record VerificationReport(
    string Projection,
    int LiveVersion,
    long Checkpoint,
    long EventsFolded,
    long EventsFailed,
    long DeadLetters,
    long Compared,
    long Missing,
    long Extra,
    long Different,
    long ChangedSinceCheckpoint,
    IReadOnlyList<DocumentDifference> Differences)
{
    /// <summary>True when every compared document is the same on both sides.</summary>
    public bool Equal => Missing + Extra + Different == 0;
}

/// <summary>
/// One document that differs. <see cref="Kind"/> is <c>missing</c> (the fold has it, the read model does not),
/// <c>extra</c> (the read model has it, the fold does not) or <c>different</c>; for <c>different</c>,
/// <see cref="Field"/> is the first differing field as a JSON path (<c>lines[1].quantity</c>, or <c>version</c>).
/// </summary>
public sealed record DocumentDifference(
    string Key,
    string Kind,
    string? Field,
    string? Expected,
    string? Actual,
    long? ExpectedVersion,
    long? ActualVersion);

/// <summary>Progress of a verify: which phase (<c>fold</c> or <c>compare</c>) and how far, out of what.</summary>
public sealed record VerificationProgress(string Phase, long Position, long Target, double PerSecond);
