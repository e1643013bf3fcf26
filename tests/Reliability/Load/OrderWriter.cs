using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace EventSourcing.Reliability.Load;

/// <summary>
/// One HTTP writer: places, changes, pays, ships and cancels its own orders with an Idempotency-Key on
/// every command, and records every answer in the <see cref="WriteLedger"/>. It keeps its own view of its
/// orders, updated only by 2xx answers; an order whose last request got no answer is dropped from it.
/// Every choice comes from its <see cref="Random"/>, so a seed replays the same sequence of intents.
/// </summary>
public sealed class OrderWriter(HttpClient http, Random random, WriteLedger ledger)
{
    private sealed class LocalOrder
    {
        public required string Currency { get; init; }
        public string Status { get; set; } = "placed";
        public Dictionary<string, (int Quantity, decimal Price)> Lines { get; } = new(StringComparer.Ordinal);
        public decimal Total => Lines.Values.Sum(l => l.Quantity * l.Price);
    }

    private readonly Dictionary<Guid, LocalOrder> _orders = [];

    /// <summary>
    /// Writes until <paramref name="stop"/> is cancelled; the request in flight then finishes, so its answer is recorded.
    /// With a <paramref name="pace"/>, at most one request per pace: a bounded load that leaves the machine to what is raced.
    /// </summary>
    public async Task RunAsync(TimeSpan? pace, CancellationToken stop)
    {
        using var timer = pace is { } p ? new PeriodicTimer(p) : null;
        while (!stop.IsCancellationRequested)
        {
            await StepAsync();
            if (timer is not null)
                await timer.WaitForNextTickAsync(CancellationToken.None);
        }
    }

    public async Task StepAsync()
    {
        var roll = random.Next(100);
        var placed = Pick(o => o.Status == "placed");
        var paid = Pick(o => o.Status == "paid");
        if (roll < 35 || placed is null)
            await PlaceAsync();
        else if (roll < 50)
            await AddItemAsync(placed.Value);
        else if (roll < 55 && _orders[placed.Value].Lines.Count > 1)
            await RemoveItemAsync(placed.Value);
        else if (roll < 75)
            await PayAsync(placed.Value);
        else if (roll < 85 && paid is { } toShip)
            await ShipAsync(toShip);
        else if (roll < 95)
            await CancelAsync(paid is not null && random.Next(2) == 0 ? paid.Value : placed.Value);
        else
            await PlaceAsync();
    }

    private async Task PlaceAsync()
    {
        var customer = Catalog.Customers[random.Next(Catalog.Customers.Count)];
        var (city, country) = Catalog.Cities[random.Next(Catalog.Cities.Count)];
        var order = new LocalOrder { Currency = Catalog.Currencies[random.Next(Catalog.Currencies.Count)] };
        foreach (var (sku, _, price) in Catalog.Products.OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
            order.Lines[sku] = (random.Next(1, 5), price);
        var body = new
        {
            customerId = customer,
            customerName = Catalog.Names[random.Next(Catalog.Names.Count)],
            currency = order.Currency,
            lines = order.Lines.Select(l => new { sku = l.Key, productName = ProductName(l.Key), quantity = l.Value.Quantity, unitPrice = l.Value.Price }),
            shippingAddress = new { street = $"{random.Next(1, 200)} Main Road", city, postalCode = random.Next(100000, 999999).ToString(CultureInfo.InvariantCulture), country },
        };
        var answer = await SendAsync(HttpMethod.Post, "/orders", body, "place");
        if (answer is { } a)
            _orders[a.OrderId] = order;
    }

    private async Task AddItemAsync(Guid id)
    {
        var (sku, name, price) = Catalog.Products[random.Next(Catalog.Products.Count)];
        var order = _orders[id];
        var known = order.Lines.TryGetValue(sku, out var line);
        var quantity = random.Next(1, 3);
        if (await Change(id, HttpMethod.Post, $"/orders/{id}/items", new { sku, productName = name, quantity, unitPrice = known ? line.Price : price }, "add-item"))
            order.Lines[sku] = (line.Quantity + quantity, known ? line.Price : price);
    }

    private async Task RemoveItemAsync(Guid id)
    {
        var order = _orders[id];
        var sku = order.Lines.Keys.OrderBy(k => k, StringComparer.Ordinal).ElementAt(random.Next(order.Lines.Count));
        if (await Change(id, HttpMethod.Delete, $"/orders/{id}/items/{sku}", null, "remove-item"))
            order.Lines.Remove(sku);
    }

    private async Task PayAsync(Guid id)
    {
        var order = _orders[id];
        if (await Change(id, HttpMethod.Post, $"/orders/{id}/payment", new { amount = order.Total, paymentReference = $"PAY-{random.Next():x}" }, "pay"))
            order.Status = "paid";
    }

    private async Task ShipAsync(Guid id)
    {
        if (await Change(id, HttpMethod.Post, $"/orders/{id}/shipment", new { carrier = "BlueDart", trackingNumber = $"BD{random.Next():x}" }, "ship"))
            _orders[id].Status = "shipped";
    }

    private async Task CancelAsync(Guid id)
    {
        if (await Change(id, HttpMethod.Post, $"/orders/{id}/cancellation", new { reason = "changed my mind" }, "cancel"))
            _orders[id].Status = "cancelled";
    }

    /// <summary>Sends a change; true on 2xx. An order without an answer (or refused) leaves the writer's view, which may be stale now.</summary>
    private async Task<bool> Change(Guid id, HttpMethod method, string path, object? body, string command)
    {
        if (await SendAsync(method, path, body, command) is not null)
            return true;
        _orders.Remove(id);
        return false;
    }

    private async Task<(Guid OrderId, long Version)?> SendAsync(HttpMethod method, string path, object? body, string command)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add("Idempotency-Key", NewKey());
        if (body is not null)
            request.Content = JsonContent.Create(body);
        try
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                using var json = JsonDocument.Parse(text);
                var orderId = json.RootElement.GetProperty("orderId").GetGuid();
                var version = json.RootElement.GetProperty("version").GetInt64();
                ledger.Acknowledge(new AcknowledgedWrite(orderId, version, command, status));
                return (orderId, version);
            }

            if (status is >= 400 and < 500)
                ledger.Reject($"{command}:{status}:{Rule(text)}");
            else
                ledger.Lost();
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            ledger.Lost();
            return null;
        }
    }

    private Guid? Pick(Func<LocalOrder, bool> where)
    {
        var candidates = _orders.Where(o => where(o.Value)).Select(o => o.Key).ToList();
        return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
    }

    private string NewKey()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return "rel-" + Convert.ToHexString(bytes);
    }

    private static string ProductName(string sku) => Catalog.Products.First(p => p.Sku == sku).Name;

    private static string Rule(string problem)
    {
        try
        {
            using var json = JsonDocument.Parse(problem);
            return json.RootElement.TryGetProperty("rule", out var rule) ? rule.GetString() ?? "?" : "?";
        }
        catch (JsonException)
        {
            return "not-json";
        }
    }
}
