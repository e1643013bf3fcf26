namespace EventSourcing.Projections.Rebuild;

/// <summary>
/// A control event a rebuild appends once version <paramref name="Version"/> of a read model is complete
/// through <paramref name="BuiltThrough"/>. The live subscription meets it in log order, applies the gap
/// between the two to the new version and swaps it in, in the transaction of its checkpoint.
/// </summary>
public sealed record ReadModelSwapRequested(string Projection, int Version, long BuiltThrough);
