using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace EventSourcing.OrderDomain.Tests.Http;

public sealed class ServiceEndpointsTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task as_of_returns_the_order_as_it_was_then()
    {
        var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
        var between = DateTimeOffset.UtcNow;
        using (var added = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/items",
                   new JsonObject { ["sku"] = "MUG-002", ["productName"] = "Mug", ["quantity"] = 1, ["unitPrice"] = 399m }))
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);

        var asOf = Uri.EscapeDataString(between.ToString("O", CultureInfo.InvariantCulture));
        var then = await (await _client.GetAsync($"/orders/{id}?asOf={asOf}")).JsonAsync();
        var now = await (await _client.GetAsync($"/orders/{id}")).JsonAsync();

        Assert.Equal(1, then["version"]!.GetValue<long>());
        Assert.Single(then["lines"]!.AsArray());
        Assert.Equal(2, now["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task as_of_before_the_order_existed_is_a_404_and_a_bad_timestamp_a_400()
    {
        var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
        using var before = await _client.GetAsync($"/orders/{id}?asOf=2001-01-01T00:00:00Z");
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);

        using var bad = await _client.GetAsync($"/orders/{id}?asOf=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("as_of_invalid", (await bad.JsonAsync())["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task the_openapi_document_describes_every_route()
    {
        using var response = await _client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await response.JsonAsync())["paths"]!.AsObject();
        foreach (var route in new[] { "/orders", "/orders/{id}", "/orders/{id}/items", "/orders/{id}/items/{sku}", "/orders/{id}/payment",
                     "/orders/{id}/shipment", "/orders/{id}/cancellation", "/search/orders" })
            Assert.True(paths.ContainsKey(route), $"the OpenAPI document has no {route}; it has {string.Join(", ", paths.Select(p => p.Key))}");
    }

    [Fact]
    public async Task live_reports_the_process_and_ready_checks_dependencies()
    {
        using var live = await _client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        using var ready = await _client.GetAsync("/health/ready");
        var body = await ready.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", body["checks"]!["postgres"]!["status"]!.GetValue<string>());
    }
}
