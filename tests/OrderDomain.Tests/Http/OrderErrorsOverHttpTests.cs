using System.Net;
using System.Text.Json.Nodes;

namespace EventSourcing.OrderDomain.Tests.Http;

public sealed class OrderErrorsOverHttpTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task a_broken_rule_in_the_request_is_a_400_problem_naming_the_value()
    {
        using var response = await _client.SendAsync(HttpMethod.Post, "/orders", Api.NewOrder(lines: [("TEA-001", "Assam Tea", 0, 250m)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.Equal("quantity_not_positive", problem["rule"]!.GetValue<string>());
        Assert.Contains("TEA-001", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"customerId\": ")]
    [InlineData("null")]
    [InlineData("{\"lines\": \"not a list\"}")]
    public async Task a_malformed_body_is_a_400(string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/orders", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task a_missing_field_is_a_400_naming_it()
    {
        var body = Api.NewOrder();
        body.Remove("customerName");
        using var response = await _client.SendAsync(HttpMethod.Post, "/orders", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("customer_name_missing", (await response.JsonAsync())["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task an_unknown_order_is_a_404_for_reads_and_commands()
    {
        var unknown = Guid.NewGuid();
        using var read = await _client.GetAsync($"/orders/{unknown}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal("order_not_found", (await read.JsonAsync())["rule"]!.GetValue<string>());

        using var pay = await _client.SendAsync(HttpMethod.Post, $"/orders/{unknown}/payment", new JsonObject { ["amount"] = 1m, ["paymentReference"] = "x" });
        Assert.Equal(HttpStatusCode.NotFound, pay.StatusCode);
    }

    [Fact]
    public async Task a_command_the_state_forbids_is_a_409_problem()
    {
        var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
        using var ship = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/shipment", new JsonObject { ["carrier"] = "BlueDart", ["trackingNumber"] = "BD1" });

        Assert.Equal(HttpStatusCode.Conflict, ship.StatusCode);
        var problem = await ship.JsonAsync();
        Assert.Equal("not_paid", problem["rule"]!.GetValue<string>());
        Assert.Contains("before payment", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_stale_if_match_is_a_409_with_the_current_version_and_appends_nothing()
    {
        var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
        using (var added = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/items",
                   new JsonObject { ["sku"] = "MUG-002", ["productName"] = "Stoneware Mug", ["quantity"] = 1, ["unitPrice"] = 399m }, ifMatch: "\"1\""))
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);

        using var stale = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/items",
            new JsonObject { ["sku"] = "BAG-003", ["productName"] = "Jute Bag", ["quantity"] = 1, ["unitPrice"] = 150m }, ifMatch: "\"1\"");

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("\"2\"", stale.Headers.ETag?.Tag);
        var problem = await stale.JsonAsync();
        Assert.Equal("version_conflict", problem["rule"]!.GetValue<string>());
        Assert.Equal(2, problem["currentVersion"]!.GetValue<long>());
        var order = await (await _client.GetAsync($"/orders/{id}")).JsonAsync();
        Assert.Equal(2, order["version"]!.GetValue<long>());
        Assert.Equal(2, order["lines"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("\"-1\"")]
    public async Task a_malformed_if_match_is_a_400(string ifMatch)
    {
        var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
        using var response = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/cancellation", new JsonObject { ["reason"] = "x" }, ifMatch: ifMatch);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("if_match_invalid", (await response.JsonAsync())["rule"]!.GetValue<string>());
    }
}
