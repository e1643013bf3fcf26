using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using OrderDomain.Orders.Http;
using OrderDomain.Search;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OrderDomain.Demo;

/// <summary>
/// The README's first command: starts the service and the projection host, places a few hundred realistic
/// orders through the HTTP API, waits until the read models caught up, runs searches and prints them as tables.
/// </summary>
public static class DemoCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var options = DemoArguments.Parse(args, defaultOrders: 300, defaultClients: 8, allowServe: true);
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = 160;
        AnsiConsole.MarkupLine($"[bold]OrderDomain demo[/]: starting the order service and the projection host on {Markup.Escape(options.Url.ToString())}");
        using var kafka = await DemoKafka.StartAsync(ct);
        await using var app = await DemoHost.StartAsync(options.Url, ct, new Dictionary<string, string?>
        {
            ["Orders:KafkaBootstrapServers"] = kafka.BootstrapServers,
            // the demo's embedded registry starts empty: let the publisher register the schemas it needs
            // (production leaves this off and registers with `schema-tools register` in CI)
            ["Orders:AutoRegisterSchemas"] = "true",
        });
        var store = app.Services.GetRequiredService<OrderDomain.Hosting.OrderServiceOptions>();
        var sequenceBefore = await LastSequenceAsync(store, ct);
        using var http = DemoHost.Client(options.Url, DemoHost.Token(app, "demo", "orderdomain-demo", Security.OrderRoles.Read, Security.OrderRoles.Write));
        var client = new OrderClient(http);

        var before = await client.SearchAsync("?pageSize=1", ct);
        var orders = new OrderGenerator(seed: Environment.TickCount).Generate(options.Orders);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(orders, new ParallelOptions { MaxDegreeOfParallelism = options.Clients, CancellationToken = ct },
            async (order, token) => await client.RunAsync(order, token));
        var commands = orders.Sum(o => 1 + (o.ExtraItem is null ? 0 : 1) + o.Fate switch { OrderFate.Shipped => 2, OrderFate.StaysPlaced => 0, _ => 1 });
        AnsiConsole.MarkupLine($"placed [bold]{orders.Count}[/] orders ({commands} commands over HTTP) in {clock.Elapsed.TotalSeconds:0.0} s");

        var expected = ExpectedFacets(before, orders);
        var caughtUp = await WaitForReadModelsAsync(client, expected, TimeSpan.FromSeconds(120), ct);
        AnsiConsole.MarkupLine($"the read models caught up {caughtUp.TotalSeconds:0.0} s after the last command");
        var appended = await LastSequenceAsync(store, ct) - sequenceBefore;
        var published = await kafka.WaitForPublishedAsync(appended, TimeSpan.FromSeconds(120), ct);
        AnsiConsole.MarkupLine($"the Kafka publisher delivered this run's {appended} events to {DemoKafka.Topic}");

        await ShowAsync(client, "Status facets of every order", "?pageSize=1", ct, facetsOnly: true);
        await ShowAsync(client, "Full text 'tea', newest first", "?q=tea&pageSize=8", ct);
        await ShowAsync(client, "Shipped to Mumbai, biggest first", "?q=mumbai&status=shipped&sort=-total&pageSize=5", ct);
        await ShowAsync(client, "Orders of 5,000 or more, biggest first", "?minTotal=5000&sort=-total&pageSize=5", ct);
        await ShowAsync(client, "Asha Rao's orders", "?customer=c-asha&pageSize=5", ct);
        await ShowTimeTravelAsync(http, orders.FirstOrDefault(o => o.Fate == OrderFate.Shipped), ct);
        kafka.Show(app.Services.GetRequiredService<Confluent.SchemaRegistry.ISchemaRegistryClient>(), published, count: 6);
        ShowExplore(options.Url);

        if (!options.Serve)
        {
            await app.StopAsync(ct);
            return 0;
        }

        AnsiConsole.MarkupLine($"[green]serving on {Markup.Escape(options.Url.ToString())}[/]; press Ctrl+C to stop");
        await app.WaitForShutdownAsync(ct);
        return 0;
    }

    private static async Task<long> LastSequenceAsync(OrderDomain.Hosting.OrderServiceOptions options, CancellationToken ct)
    {
        await using var connection = new Npgsql.NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new Npgsql.NpgsqlCommand("select to_regclass($1) is not null", connection) { Parameters = { new() { Value = options.EventSchema + ".mt_events" } } };
        if (await exists.ExecuteScalarAsync(ct) is not true)
            return 0;
        await using var command = new Npgsql.NpgsqlCommand($"select coalesce(max(seq_id), 0) from {options.EventSchema}.mt_events", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, long> ExpectedFacets(OrderSearchResult before, IReadOnlyList<GeneratedOrder> orders)
    {
        var expected = OrderSearchQuery.KnownStatuses.ToDictionary(s => s, s => before.StatusFacets.GetValueOrDefault(s), StringComparer.Ordinal);
        foreach (var order in orders)
            expected[order.ExpectedStatus]++;
        return expected;
    }

    /// <summary>Polls the search API until every status count is what the commands imply, with a deadline.</summary>
    private static async Task<TimeSpan> WaitForReadModelsAsync(OrderClient client, IReadOnlyDictionary<string, long> expected, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var now = await client.SearchAsync("?pageSize=1", ct);
            if (expected.All(e => now.StatusFacets.GetValueOrDefault(e.Key) == e.Value))
                return clock.Elapsed;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"the read models did not catch up within {timeout.TotalSeconds:0} s: expected {Describe(expected)}, search shows {Describe(now.StatusFacets)}");
            using var timer = new PeriodicTimer(pause);
            await timer.WaitForNextTickAsync(ct);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 250));
        }
    }

    private static string Describe(IReadOnlyDictionary<string, long> facets) => string.Join(", ", facets.Select(f => $"{f.Key} {f.Value}"));

    private static async Task ShowAsync(OrderClient client, string title, string query, CancellationToken ct, bool facetsOnly = false)
    {
        var result = await client.SearchAsync(query, ct);
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(title)}[/]  [grey]GET /search/orders{Markup.Escape(query)}  ({result.Total} hits)[/]");
        if (facetsOnly)
        {
            var facets = new Table().AddColumn("status").AddColumn(new TableColumn("orders").RightAligned());
            foreach (var (status, count) in result.StatusFacets)
                facets.AddRow(status, count.ToString(CultureInfo.InvariantCulture));
            AnsiConsole.Write(facets);
            return;
        }

        var table = new Table().AddColumns("order", "customer", "city", "status", "products").AddColumn(new TableColumn("total").RightAligned()).AddColumn("placed");
        foreach (var hit in result.Hits)
        {
            table.AddRow(new IRenderable[]
            {
                new Text(hit.OrderId.ToString("N")[..8]),
                new Text(hit.CustomerName),
                new Text(hit.ShippingCity),
                new Text(hit.Status),
                new Text(Products(hit)),
                new Text(string.Create(CultureInfo.InvariantCulture, $"{hit.Total:N2} {hit.Currency}")),
                new Text(hit.PlacedAt.ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
            });
        }

        AnsiConsole.Write(table);
    }

    private static string Products(OrderSearchDocument hit)
    {
        var first = $"{hit.Lines[0].Quantity} x {hit.Lines[0].ProductName}";
        return hit.Lines.Count == 1 ? first : $"{first} +{hit.Lines.Count - 1} more";
    }

    private static async Task ShowTimeTravelAsync(HttpClient http, GeneratedOrder? order, CancellationToken ct)
    {
        if (order is null)
            return;
        var now = await http.GetFromJsonAsync<OrderView>($"/orders/{order.OrderId}", OrderClient.Json, ct)
                  ?? throw new InvalidOperationException($"GET /orders/{order.OrderId} returned no body");
        var asOf = now.PaidAt!.Value.ToString("O", CultureInfo.InvariantCulture);
        var then = await http.GetFromJsonAsync<OrderView>($"/orders/{order.OrderId}?asOf={Uri.EscapeDataString(asOf)}", OrderClient.Json, ct)
                   ?? throw new InvalidOperationException($"GET /orders/{order.OrderId}?asOf={asOf} returned no body");
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine($"[bold]Time travel[/]  [grey]GET /orders/{order.OrderId}?asOf={Markup.Escape(asOf)}[/]");
        var table = new Table().AddColumns("", "version", "status", "total");
        table.AddRow("as of " + asOf, then.Version.ToString(CultureInfo.InvariantCulture), then.Status, then.Total.ToString("N2", CultureInfo.InvariantCulture));
        table.AddRow("now", now.Version.ToString(CultureInfo.InvariantCulture), now.Status, now.Total.ToString("N2", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }

    private static void ShowExplore(Uri url)
    {
        var root = url.ToString().TrimEnd('/');
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine("[bold]Explore further[/] (run with [bold]--serve[/] to keep the service up):");
        AnsiConsole.WriteLine("  a token               TOKEN=$(dotnet run --project sample/OrderDomain -c Release -- token --roles orders:read,orders:write)");
        AnsiConsole.WriteLine("                        then: curl -H \"Authorization: Bearer $TOKEN\" <url>   (every route but /health/* needs one)");
        AnsiConsole.WriteLine($"  OpenAPI document      {root}/openapi/v1.json");
        AnsiConsole.WriteLine($"  search                {root}/search/orders?q=tea&status=shipped&sort=-total");
        AnsiConsole.WriteLine($"  one order             {root}/orders/<id>   (add ?asOf=<ISO time> for time travel; /events for its history and who did what)");
        AnsiConsole.WriteLine($"  readiness             {root}/health/ready");
        AnsiConsole.WriteLine("  projections CLI       dotnet run --project sample/OrderDomain -c Release -- projections status   (also: rebuild, dead-letters; --help)");
        AnsiConsole.WriteLine("  load generator        dotnet run --project sample/OrderDomain -c Release -- load --orders 2000 --clients 16");
    }
}
