namespace EventSourcing.Projections.Tests.Sinks;

/// <summary>The document the sink behaviour suite writes and reads.</summary>
public sealed record SinkSuiteDocument(string Id, string Name, int Count);
