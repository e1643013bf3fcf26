using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OrderDomain.Orders.Http;
using OrderDomain.Search;

namespace OrderDomain.Demo;

/// <summary>
/// Drives the order service over HTTP, as any client would: one command per request, with an Idempotency-Key;
/// a 429 (over the caller's rate limit) is retried after the Retry-After the service sent.
/// </summary>
public sealed class OrderClient(HttpClient http)
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Runs a generated order's whole story; returns the latency of every command it sent.</summary>
    public async Task<IReadOnlyList<TimeSpan>> RunAsync(GeneratedOrder order, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(order);
        var latencies = new List<TimeSpan>(5);
        var id = order.OrderId;
        latencies.Add(await SendAsync(HttpMethod.Post, "/orders", order.Request, $"place-{id}", ct));
        if (order.ExtraItem is { } extra)
            latencies.Add(await SendAsync(HttpMethod.Post, $"/orders/{id}/items", extra, $"add-{id}", ct));
        if (order.Fate is OrderFate.Paid or OrderFate.Shipped)
            latencies.Add(await SendAsync(HttpMethod.Post, $"/orders/{id}/payment", new PaymentRequest(order.Total, $"UPI-{id.ToString("N")[..10]}"), $"pay-{id}", ct));
        if (order.Fate is OrderFate.Shipped)
            latencies.Add(await SendAsync(HttpMethod.Post, $"/orders/{id}/shipment", new ShipmentRequest("BlueDart", $"BD{id.ToString("N")[..8].ToUpperInvariant()}"), $"ship-{id}", ct));
        if (order.Fate is OrderFate.Cancelled)
            latencies.Add(await SendAsync(HttpMethod.Post, $"/orders/{id}/cancellation", new CancellationRequest("customer changed their mind"), $"cancel-{id}", ct));
        return latencies;
    }

    public async Task<OrderSearchResult> SearchAsync(string query, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri("/search/orders" + query, UriKind.Relative), ct);
        await EnsureAsync(response, "GET /search/orders" + query, ct);
        return await response.Content.ReadFromJsonAsync<OrderSearchResult>(Json, ct)
               ?? throw new InvalidOperationException("GET /search/orders returned no body");
    }

    /// <summary>How many times the service answered 429 (over this caller's rate limit); each was retried after its Retry-After.</summary>
    public int Throttled => _throttled;

    private int _throttled;

    private const int MaxAttempts = 10;

    private async Task<TimeSpan> SendAsync<T>(HttpMethod method, string path, T body, string idempotencyKey, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body, options: Json) };
            request.Headers.Add(OrderEndpoints.IdempotencyKeyHeader, idempotencyKey);
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests && attempt < MaxAttempts)
            {
                // over the rate limit: the same Idempotency-Key makes the retry safe
                Interlocked.Increment(ref _throttled);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), ct);
                continue;
            }

            var elapsed = clock.Elapsed;
            await EnsureAsync(response, $"{method} {path}", ct);
            return elapsed;
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }
}
