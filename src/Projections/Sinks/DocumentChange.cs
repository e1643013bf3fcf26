namespace EventSourcing.Projections.Sinks;

/// <summary>One document write in a batch: an upsert, or a delete when <see cref="Document"/> is null.</summary>
/// <param name="Version">The global sequence of the last event applied: the external version.</param>
/// <param name="EventSequences">
/// The events folded into this change, dead-lettered if the sink rejects it: a slice of one array per batch, so a
/// change costs no allocation of its own.
/// </param>
public readonly record struct DocumentChange(string Key, object? Document, long Version, ReadOnlyMemory<long> EventSequences)
{
    public bool IsDelete => Document is null;
}
