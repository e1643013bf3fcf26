using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventSourcing.EventStore;
using EventSourcing.EventStore.Concurrency;
using EventSourcing.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrderDomain.Orders;

namespace EventSourcing.OrderDomain.Tests.Http;

public sealed class ProblemDetailsOverHttpTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Theory]
    [InlineData("GET", "/no/such/route", null, null, 404, "route_not_found")]
    [InlineData("PUT", "/orders", "{}", "application/json", 405, "method_not_allowed")]
    [InlineData("POST", "/orders", "{}", "text/plain", 415, "unsupported_media_type")]
    [InlineData("POST", "/orders", "{\"customerId\":\"c\",\"extra\":1}", "application/json", 400, "unknown_field")]
    [InlineData("POST", "/orders", "{\"lines\":[{\"quantity\":\"5\"}]}", "application/json", 400, "field_invalid")]
    [InlineData("POST", "/orders", "{\"customerId\": ", "application/json", 400, "json_invalid")]
    [InlineData("GET", "/orders/00000000-0000-0000-0000-000000000000", null, null, 400, "order_id_invalid")]
    [InlineData("POST", "/orders/zzz/payment", "{\"amount\":1,\"paymentReference\":\"p\"}", "application/json", 400, "order_id_invalid")]
    public async Task every_error_is_problem_details_with_a_rule(string method, string path, string? body, string? contentType, int status, string rule)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType!);
        }

        using var response = await _client.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(rule, problem["rule"]!.GetValue<string>());
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.DoesNotContain("System.", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_body_over_the_limit_is_a_413_problem()
    {
        var body = Api.NewOrder();
        body["customerName"] = new string('x', 70_000);
        using var response = await _client.SendAsync(HttpMethod.Post, "/orders", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await response.JsonAsync())["rule"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00-14:00")]
    [InlineData("9999-12-31T23:59:59+14:00")]
    [InlineData("1969-12-31T23:59:59Z")]
    public async Task an_as_of_outside_the_store_range_is_a_400(string asOf)
    {
        using var response = await _client.GetAsync($"/orders/{Guid.NewGuid()}?asOf={Uri.EscapeDataString(asOf)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("as_of_out_of_range", (await response.JsonAsync())["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_missing_number_is_named_instead_of_becoming_zero()
    {
        var body = Api.NewOrder();
        body["lines"]![0]!.AsObject().Remove("unitPrice");
        using var response = await _client.SendAsync(HttpMethod.Post, "/orders", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unit_price_missing", (await response.JsonAsync())["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task two_lines_whose_sum_passes_the_decimal_range_are_refused_and_write_nothing()
    {
        var id = Guid.NewGuid();
        using var response = await _client.SendAsync(HttpMethod.Post, "/orders",
            Api.NewOrder(id, lines: [("A-1", "a", 1, 5e28m), ("B-1", "b", 1, 5e28m)]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("price_too_large", (await response.JsonAsync())["rule"]!.GetValue<string>());

        var big = Guid.NewGuid();
        await _client.PlaceAsync(Api.NewOrder(big, lines: [("A-1", "a", 100, 1_000_000m)]));
        using var add = await _client.SendAsync(HttpMethod.Post, $"/orders/{big}/items",
            new JsonObject { ["sku"] = "B-1", ["productName"] = "b", ["quantity"] = 1, ["unitPrice"] = 0.01m });
        Assert.Equal(HttpStatusCode.BadRequest, add.StatusCode);
        Assert.Equal("order_total_too_large", (await add.JsonAsync())["rule"]!.GetValue<string>());
        using var read = await _client.GetAsync($"/orders/{big}");
        Assert.Equal(1, (await read.JsonAsync())["version"]!.GetValue<long>());
    }

    /// <summary>
    /// An order stored before the limits existed, whose total overflows: the API names it (500 order_unreadable,
    /// not an empty 500), the projection dead-letters it, and readiness turns Degraded until it is repaired.
    /// </summary>
    [Fact]
    public async Task an_order_in_the_log_that_cannot_be_folded_is_a_named_problem_and_degrades_readiness()
    {
        var id = Guid.NewGuid();
        var store = api.Services.GetRequiredService<IEventStore>();
        await store.AppendAsync(id, [new OrderPlaced(id, "c-old", "Old", [new OrderLine("A", "a", 1, 5e28m), new OrderLine("B", "b", 1, 5e28m)],
            new ShippingAddress("s", "c", "1", "IN"), DateTimeOffset.UtcNow)], ExpectedVersion.NoStream, null, CancellationToken.None);

        using var read = await _client.GetAsync($"/orders/{id}");
        Assert.Equal(HttpStatusCode.InternalServerError, read.StatusCode);
        Assert.Equal("order_unreadable", (await read.JsonAsync())["rule"]!.GetValue<string>());
        using var pay = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/payment", new JsonObject { ["amount"] = 1m, ["paymentReference"] = "p" });
        Assert.Equal("order_unreadable", (await pay.JsonAsync())["rule"]!.GetValue<string>());

        var ready = await Eventually.Until(async () =>
        {
            using var health = await _client.GetAsync("/health/ready");
            return await health.JsonAsync();
        }, h => h["checks"]?["dead-letters"]?["status"]?.GetValue<string>() == "Degraded", TimeSpan.FromSeconds(60), "the dead letter in readiness");
        Assert.Equal("Degraded", ready["status"]!.GetValue<string>());
        // the anonymous readiness answer names no details; the operations status does
        var status = await (await _client.GetAsync("/operations/status")).JsonAsync();
        Assert.Contains("order_search", status["checks"]!["dead-letters"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
