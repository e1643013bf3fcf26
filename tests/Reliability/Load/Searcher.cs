using System.Text.Json;

namespace EventSourcing.Reliability.Load;

/// <summary>
/// One HTTP searcher: random queries against <c>GET /search/orders</c>, each answer checked on the spot.
/// An answer must be complete (hits = min(total - skip, pageSize)), self-consistent (the status facets,
/// which ignore the status filter, sum to the total when there is no status filter, and the selected
/// statuses' facets sum to it when there is), every hit must match the filter, and every hit's total must
/// be the sum of its lines. An error answer (non-2xx or no answer) is a violation too: search stays online.
/// </summary>
public sealed class Searcher(HttpClient http, Random random, SearchLog log)
{
    private static readonly string[] Statuses = ["placed", "paid", "shipped", "cancelled"];

    /// <summary>Searches until <paramref name="stop"/> is cancelled, at most once per <paramref name="pace"/> when given.</summary>
    public async Task RunAsync(TimeSpan? pace, CancellationToken stop)
    {
        using var timer = pace is { } p ? new PeriodicTimer(p) : null;
        while (!stop.IsCancellationRequested)
        {
            await SearchOnceAsync();
            if (timer is not null)
                await timer.WaitForNextTickAsync(CancellationToken.None);
        }
    }

    public async Task SearchOnceAsync()
    {
        string? customer = null, text = null;
        string[] statuses = [];
        var pageSize = 100;
        switch (random.Next(4))
        {
            case 0:
                customer = Catalog.Customers[random.Next(Catalog.Customers.Count)];
                break;
            case 1:
                statuses = [.. Statuses.Where(_ => random.Next(2) == 0)];
                customer = Catalog.Customers[random.Next(Catalog.Customers.Count)];
                break;
            case 2:
                text = Catalog.Products[random.Next(Catalog.Products.Count)].Name.Split(' ')[0];
                pageSize = 20;
                break;
            default:
                statuses = [Statuses[random.Next(Statuses.Length)]];
                pageSize = 20;
                break;
        }

        var query = $"/search/orders?pageSize={pageSize}"
                    + (customer is null ? "" : $"&customer={customer}")
                    + (text is null ? "" : $"&q={Uri.EscapeDataString(text)}")
                    + (statuses.Length == 0 ? "" : $"&status={string.Join(',', statuses)}");
        string body;
        try
        {
            using var response = await http.GetAsync(new Uri(query, UriKind.Relative));
            body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                log.Violated($"{query}: HTTP {(int)response.StatusCode} {Truncate(body)}");
                return;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            log.Violated($"{query}: no answer ({e.GetType().Name}: {e.Message})");
            return;
        }

        log.Answered();
        foreach (var problem in Check(body, customer, statuses, pageSize))
            log.Violated($"{query}: {problem}");
    }

    private static IEnumerable<string> Check(string body, string? customer, string[] statuses, int pageSize)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var total = root.GetProperty("total").GetInt64();
        var hits = root.GetProperty("hits").EnumerateArray().ToList();
        var facets = root.GetProperty("statusFacets").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        var problems = new List<string>();
        if (hits.Count != Math.Min(total, pageSize))
            problems.Add($"incomplete: {hits.Count} hits for total {total} (page size {pageSize})");
        var facetSum = statuses.Length == 0 ? facets.Values.Sum() : statuses.Sum(s => facets.GetValueOrDefault(s));
        if (facetSum != total)
            problems.Add($"facets disagree with total: {string.Join(", ", facets.Select(f => $"{f.Key} {f.Value}"))} sum to {facetSum} for {(statuses.Length == 0 ? "all statuses" : string.Join('+', statuses))}, total is {total}");
        foreach (var hit in hits)
        {
            var id = hit.GetProperty("orderId").GetString();
            var status = hit.GetProperty("status").GetString()!;
            if (statuses.Length > 0 && !statuses.Contains(status))
                problems.Add($"hit {id} has status {status}, outside the filter");
            if (customer is not null && hit.GetProperty("customerId").GetString() != customer)
                problems.Add($"hit {id} belongs to {hit.GetProperty("customerId").GetString()}, not {customer}");
            var lines = hit.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("quantity").GetDecimal() * l.GetProperty("unitPrice").GetDecimal());
            if (lines != hit.GetProperty("total").GetDecimal())
                problems.Add($"hit {id} has total {hit.GetProperty("total").GetDecimal()} but its lines sum to {lines}");
        }

        return problems;
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
