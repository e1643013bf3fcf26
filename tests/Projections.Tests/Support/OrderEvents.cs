namespace EventSourcing.Projections.Tests.Support;

public sealed record OrderPlaced(Guid OrderId, string Customer, decimal Total);

public sealed record OrderShipped(Guid OrderId, string Carrier);

public sealed record OrderNoted(Guid OrderId, string Note);

public sealed record OrderPurged(Guid OrderId);

/// <summary>An event no projection handles.</summary>
public sealed record OrderAudited(Guid OrderId);
