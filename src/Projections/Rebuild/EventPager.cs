using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Definitions;
using Marten;

namespace EventSourcing.Projections.Rebuild;

/// <summary>Reads the committed log in global order, one bounded page at a time, through Marten (upcasters apply).</summary>
internal static class EventPager
{
    public static async Task<IReadOnlyList<ProjectedEvent>> PageAsync(
        IQuerySession session, long after, long through, int pageSize, string? stream, CancellationToken cancellationToken)
    {
        var query = session.Events.QueryAllRawEvents().Where(e => e.Sequence > after && e.Sequence <= through);
        if (stream is not null)
            query = Guid.TryParse(stream, out var id) ? query.Where(e => e.StreamId == id) : query.Where(e => e.StreamKey == stream);
        var events = await query.OrderBy(e => e.Sequence).Take(pageSize).ToListAsync(cancellationToken).ConfigureAwait(false);
        return events.SelectMany(e => e.Expand()).ToList();
    }

    /// <summary>The newest committed sequence (0 for an empty log).</summary>
    public static Task<long> HeadAsync(IQuerySession session, CancellationToken cancellationToken) =>
        session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Select(e => e.Sequence).FirstOrDefaultAsync(cancellationToken);

    public static async Task<long> FirstSequenceAtAsync(IQuerySession session, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var first = await session.Events.QueryAllRawEvents().Where(e => e.Timestamp >= time).OrderBy(e => e.Sequence)
            .Select(e => e.Sequence).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return first;
    }
}
