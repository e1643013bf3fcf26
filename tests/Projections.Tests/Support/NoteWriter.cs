using Marten;

namespace EventSourcing.Projections.Tests.Support;

/// <summary>
/// Appends notes to existing orders in the background, one small session (5 events) after another, until
/// disposed (at most 500 sessions). Every tenth order is skipped: <see cref="TestEventLog.SeedOrdersAsync"/> purges those.
/// </summary>
public sealed class NoteWriter : IAsyncDisposable
{
    private volatile bool _stopped;
    private Task _writing = Task.CompletedTask;

    public static NoteWriter Start(IDocumentStore store, IReadOnlyList<Guid> orders, string note)
    {
        var writer = new NoteWriter();
        writer._writing = Task.Run(() => writer.WriteAsync(store, orders.Where((_, i) => i % 10 != 0).ToList(), note));
        return writer;
    }

    private async Task WriteAsync(IDocumentStore store, List<Guid> orders, string note)
    {
        for (var n = 0; n < 500 && !_stopped; n++)
        {
            await using var session = store.LightweightSession();
            foreach (var id in orders.Skip(n * 5 % orders.Count).Take(5))
                session.Events.Append(id, new OrderNoted(id, $"{note} {n}"));
            await session.SaveChangesAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        await _writing;
    }
}
