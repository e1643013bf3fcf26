using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using OrderDomain.Demo;
using OrderDomain.Hosting;
using OrderDomain.Search;
using OrderDomain.Security;
using Spectre.Console;

namespace OrderDomain.Load;

/// <summary>
/// The load generator: N realistic orders from M concurrent HTTP clients (each a caller with its own token)
/// against the service in this process.
/// Reports throughput, p50/p99 command latency (client-side, per HTTP command) and p50/p99
/// append-to-searchable latency (read-model write time minus the event's commit timestamp, both PostgreSQL clocks).
/// </summary>
public static class LoadCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var options = DemoArguments.Parse(args, defaultOrders: 1000, defaultClients: 8, allowServe: false);
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = 160;
        await using var app = await DemoHost.StartAsync(options.Url, ct);
        // each concurrent client is a caller of its own (its own token, so its own rate-limit bucket)
        var https = Enumerable.Range(0, options.Clients)
            .Select(i => DemoHost.Client(options.Url, DemoHost.Token(app, $"load-client-{i + 1}", "orderdomain-load", OrderRoles.Read, OrderRoles.Write)))
            .ToList();
        using var disposeClients = new ClientsDisposer(https);
        var clients = https.Select(h => new OrderClient(h)).ToList();
        var client = clients[0];
        var before = await client.SearchAsync("?pageSize=1", ct);

        var generator = new OrderGenerator(seed: Environment.TickCount);

        // Warm-up (not measured): Wolverine generates and compiles each endpoint's handler on its first request.
        var warmUp = generator.Generate(Math.Min(20, options.Orders));
        foreach (var order in warmUp)
            await client.RunAsync(order, ct);

        var orders = generator.Generate(options.Orders);
        var latencies = new ConcurrentBag<TimeSpan>();
        AnsiConsole.MarkupLine($"load: {orders.Count} orders from {options.Clients} concurrent clients against {Markup.Escape(options.Url.ToString())}");
        var clock = Stopwatch.StartNew();
        var queue = new ConcurrentQueue<GeneratedOrder>(orders);
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = options.Clients, CancellationToken = ct }, async (worker, token) =>
        {
            while (queue.TryDequeue(out var order))
            {
                foreach (var latency in await worker.RunAsync(order, token))
                    latencies.Add(latency);
            }
        });
        var elapsed = clock.Elapsed;

        var expected = OrderSearchQuery.KnownStatuses.ToDictionary(s => s, s => before.StatusFacets.GetValueOrDefault(s), StringComparer.Ordinal);
        foreach (var order in warmUp.Concat(orders))
            expected[order.ExpectedStatus]++;
        await WaitAsync(client, expected, TimeSpan.FromMinutes(5), ct);

        var searchable = await AppendToSearchableAsync(app.Services, orders.Select(o => o.OrderId.ToString("D")).ToArray(), ct);
        var commands = latencies.Select(l => l.TotalMilliseconds).Order().ToArray();

        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("orders", orders.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow("commands (HTTP)", commands.Length.ToString(CultureInfo.InvariantCulture));
        table.AddRow("concurrent clients", options.Clients.ToString(CultureInfo.InvariantCulture));
        table.AddRow("429 answers (retried)", clients.Sum(c => c.Throttled).ToString(CultureInfo.InvariantCulture));
        table.AddRow("elapsed", $"{elapsed.TotalSeconds:0.00} s");
        table.AddRow("throughput", string.Create(CultureInfo.InvariantCulture, $"{commands.Length / elapsed.TotalSeconds:0} commands/s, {orders.Count / elapsed.TotalSeconds:0} orders/s"));
        table.AddRow("command latency p50 / p99", string.Create(CultureInfo.InvariantCulture, $"{Percentile(commands, 0.50):0.0} / {Percentile(commands, 0.99):0.0} ms"));
        table.AddRow("append-to-searchable p50 / p99", string.Create(CultureInfo.InvariantCulture, $"{Percentile(searchable, 0.50):0.0} / {Percentile(searchable, 0.99):0.0} ms"));
        AnsiConsole.Write(table);
        await app.StopAsync(ct);
        return 0;
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
            return double.NaN;
        var index = (int)Math.Ceiling(p * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }

    private static async Task WaitAsync(OrderClient client, IReadOnlyDictionary<string, long> expected, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var now = await client.SearchAsync("?pageSize=1", ct);
            if (expected.All(e => now.StatusFacets.GetValueOrDefault(e.Key) == e.Value))
                return;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"the read models did not catch up within {timeout.TotalSeconds:0} s");
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            await timer.WaitForNextTickAsync(ct);
        }
    }

    /// <summary>
    /// For each order, the time from its last event's commit (<c>mt_events.timestamp</c>) to the read-model write that
    /// applied it (<c>updated_at</c> of the document whose version is that event's sequence), in milliseconds, sorted.
    /// </summary>
    private static async Task<double[]> AppendToSearchableAsync(IServiceProvider services, string[] keys, CancellationToken ct)
    {
        var options = services.GetRequiredService<OrderServiceOptions>();
        var store = services.GetRequiredService<OrderSearchStore>();
        var database = services.GetRequiredService<ReadModelDatabase>();
        await using var command = database.DataSource.CreateCommand(
            $"select extract(epoch from (r.updated_at - e.timestamp)) * 1000 from {store.OrderSearchView} r " +
            $"join {options.EventSchema}.mt_events e on e.seq_id = r.version where r.key = any($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
        var values = new List<double>(keys.Length);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            values.Add(Convert.ToDouble(reader.GetValue(0), CultureInfo.InvariantCulture));
        return [.. values.Order()];
    }

    private sealed class ClientsDisposer(IReadOnlyList<HttpClient> clients) : IDisposable
    {
        public void Dispose()
        {
            foreach (var client in clients)
                client.Dispose();
        }
    }
}
