using EventSourcing.EventStore.Concurrency;

namespace EventSourcing.EventStore;

/// <summary>One stream's part of a batch append.</summary>
public sealed record StreamAppend(Guid StreamId, IReadOnlyList<object> Events, ExpectedVersion Expected);
