using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using EventSourcing.TestInfrastructure;
using Xunit.Abstractions;

namespace EventSourcing.OrderDomain.Tests.Http;

/// <summary>
/// Thousands of generated requests, valid and hostile, at every command and query route of the running
/// service. Never a 5xx; every 4xx is problem details and writes no row; every accepted order loads, pays
/// and shows up in search with the total computed here from the body that was sent; the service keeps
/// answering valid requests. A failure prints CsCheck's seed: set CsCheck_Seed to replay it.
/// </summary>
public sealed class HostileRequestTests(OrderApiFixture api, ITestOutputHelper output) : IClassFixture<OrderApiFixture>
{
    private const long Iterations = 1000;

    private readonly HttpClient _client = api.Client;
    private readonly List<Guid> _known = [];
    private readonly Dictionary<Guid, decimal> _accepted = [];

    [Fact]
    public async Task generated_requests_never_fail_the_server_or_leave_a_row_and_accepted_orders_load_pay_and_search_alike()
    {
        var statuses = new Dictionary<int, int>();
        await Gen.Int.SampleAsync(async seed =>
        {
            var request = HostileRequests.Create(seed, _known);
            var status = await SendAndCheckAsync(request);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
        }, writeLine: output.WriteLine, iter: Iterations, threads: 1, print: seed => HostileRequests.Create(seed, _known).ToString());

        output.WriteLine("statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Value}")));
        Assert.True(_accepted.Count >= 50, $"only {_accepted.Count} orders were accepted; the generator must produce valid ones too");
        Assert.Contains(statuses.Keys, s => s == 400);

        // the service still takes a plain valid order
        using (var valid = await _client.SendAsync(HttpMethod.Post, "/orders", Api.NewOrder()))
            Assert.Equal(HttpStatusCode.Created, valid.StatusCode);

        var searched = await Eventually.Until(SearchTotalsAsync, found => _accepted.Keys.All(found.ContainsKey), TimeSpan.FromSeconds(60),
            "every accepted order in search");
        foreach (var (id, total) in _accepted)
            Assert.True(searched[id] == total, $"order {id}: search total {searched[id]}, computed {total}");
    }

    private async Task<int> SendAndCheckAsync(HostileRequest request)
    {
        var before = await RowCountAsync();
        using var message = new HttpRequestMessage(request.Method, request.Path);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
            if (request.ContentType is not null)
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }

        if (request.IfMatch is not null)
            message.Headers.TryAddWithoutValidation("If-Match", request.IfMatch);
        if (request.IdempotencyKey is not null)
            message.Headers.TryAddWithoutValidation("Idempotency-Key", request.IdempotencyKey);
        using var response = await _client.SendAsync(message);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status < 500, $"{status} for {request}: {text}");

        if (status >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(text)!.AsObject();
            Assert.Equal(status, problem["status"]!.GetValue<int>());
            var rule = problem["rule"]!.GetValue<string>();
            Assert.False(string.IsNullOrWhiteSpace(rule), $"no rule in {text}");
            Assert.DoesNotContain("System.", problem["detail"]?.GetValue<string>() ?? "", StringComparison.Ordinal);
            Assert.True(before == await RowCountAsync(), $"{status} {rule} wrote a row: {request}");
            return status;
        }

        if (request.Route == "place" && status == 201)
            await CheckAcceptedOrderAsync(request, JsonNode.Parse(text)!.AsObject());
        return status;
    }

    /// <summary>The order loads with the total of the lines sent, and pays with exactly that amount.</summary>
    private async Task CheckAcceptedOrderAsync(HostileRequest request, JsonObject created)
    {
        var id = created["orderId"]!.GetValue<Guid>();
        if (created["replayed"]!.GetValue<bool>() || _accepted.ContainsKey(id))
            return;
        using var body = JsonDocument.Parse(request.Body!);
        var total = body.RootElement.GetProperty("lines").EnumerateArray()
            .Sum(l => l.GetProperty("quantity").GetDecimal() * l.GetProperty("unitPrice").GetDecimal());

        using var read = await _client.GetAsync($"/orders/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(total, (await read.JsonAsync())["total"]!.GetValue<decimal>());

        using var pay = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/payment",
            new JsonObject { ["amount"] = total, ["paymentReference"] = "pay-" + id.ToString("N")[..8] });
        Assert.True(pay.StatusCode == HttpStatusCode.OK, $"paying {id} with {total}: {(int)pay.StatusCode} {await pay.Content.ReadAsStringAsync()}");
        _accepted[id] = total;
        _known.Add(id);
    }

    private async Task<Dictionary<Guid, decimal>> SearchTotalsAsync()
    {
        var found = new Dictionary<Guid, decimal>();
        for (var page = 1; ; page++)
        {
            using var response = await _client.GetAsync($"/search/orders?pageSize=100&page={page.ToString(CultureInfo.InvariantCulture)}");
            var hits = (await response.JsonAsync())["hits"]!.AsArray();
            foreach (var hit in hits)
                found[hit!["orderId"]!.GetValue<Guid>()] = hit["total"]!.GetValue<decimal>();
            if (hits.Count < 100)
                return found;
        }
    }

    private async Task<long> RowCountAsync()
    {
        await using var command = api.Postgres.DataSource.CreateCommand(
            $"select (select count(*) from {api.EventSchema}.mt_streams) + (select count(*) from {api.EventSchema}.mt_events)");
        try
        {
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }
}
