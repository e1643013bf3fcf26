using EventSourcing.Projections.DeadLetters;

namespace EventSourcing.Projections.Daemon;

/// <summary>What one batch did: events applied, events skipped as already applied, documents written, dead letters.</summary>
public sealed record BatchResult(int Applied, int Skipped, int DocumentsWritten, IReadOnlyList<DeadLetter> DeadLetters);
