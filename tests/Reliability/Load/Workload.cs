using EventSourcing.Reliability.Infrastructure;

namespace EventSourcing.Reliability.Load;

/// <summary>
/// Writers and searchers running against a service until stopped; each gets its own Random from the scenario's seed.
/// With a pace, each writer sends at most one request per pace and each searcher one per two paces.
/// </summary>
public sealed class Workload : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private readonly List<HttpClient> _clients = [];

    private Workload() { }

    public static Workload Start(Uri service, Func<int, Random> random, WriteLedger ledger, int writers, SearchLog? searches = null, int searchers = 0, TimeSpan? pace = null)
    {
        var workload = new Workload();
        for (var i = 0; i < writers; i++)
        {
            var writer = new OrderWriter(workload.Client(service), random(100 + i), ledger);
            workload._running.Add(Task.Run(() => writer.RunAsync(pace, workload._stop.Token), workload._stop.Token));
        }

        for (var i = 0; i < searchers && searches is not null; i++)
        {
            var searcher = new Searcher(workload.Client(service), random(200 + i), searches);
            workload._running.Add(Task.Run(() => searcher.RunAsync(pace * 2, workload._stop.Token), workload._stop.Token));
        }

        return workload;
    }

    /// <summary>Stops after the requests in flight have their answers (so each is recorded), and rethrows a writer's or searcher's crash.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            try
            {
                await Task.WhenAll(_running);
            }
            catch (Exception) when (_running.Any(t => t.IsFaulted))
            {
                // already failing the scenario; StopAsync reports the crash when it is called
            }
        }

        foreach (var client in _clients)
            client.Dispose();
        _stop.Dispose();
    }

    private HttpClient Client(Uri service)
    {
        var client = ServiceHttp.Create(service);
        _clients.Add(client);
        return client;
    }
}
