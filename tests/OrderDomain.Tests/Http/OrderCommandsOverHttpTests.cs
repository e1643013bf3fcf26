using System.Net;
using System.Text.Json.Nodes;

namespace EventSourcing.OrderDomain.Tests.Http;

public sealed class OrderCommandsOverHttpTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task placing_an_order_answers_201_with_its_location_and_version_and_get_reads_it_back()
    {
        var id = Guid.NewGuid();
        using var placed = await _client.SendAsync(HttpMethod.Post, "/orders",
            Api.NewOrder(id, lines: [("TEA-001", "Assam Tea 500g", 2, 250m), ("MUG-002", "Stoneware Mug", 1, 399m)]));

        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        Assert.Equal($"/orders/{id}", placed.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", placed.Headers.ETag?.Tag);
        var body = await placed.JsonAsync();
        Assert.Equal(1, body["version"]!.GetValue<long>());
        Assert.Equal("placed", body["status"]!.GetValue<string>());

        using var read = await _client.GetAsync($"/orders/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        var order = await read.JsonAsync();
        Assert.Equal("Asha Rao", order["customerName"]!.GetValue<string>());
        Assert.Equal(899m, order["total"]!.GetValue<decimal>());
        Assert.Equal("INR", order["currency"]!.GetValue<string>());
        Assert.Equal(2, order["lines"]!.AsArray().Count);
        Assert.Equal("Bengaluru", order["shippingAddress"]!["city"]!.GetValue<string>());
    }

    [Fact]
    public async Task an_order_goes_through_its_whole_life_over_http()
    {
        var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid()));

        using (var added = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/items",
                   new JsonObject { ["sku"] = "MUG-002", ["productName"] = "Stoneware Mug", ["quantity"] = 2, ["unitPrice"] = 399m }))
            Assert.Equal(2, (await added.JsonAsync())["version"]!.GetValue<long>());
        using (var added = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/items",
                   new JsonObject { ["sku"] = "BAG-003", ["productName"] = "Jute Bag", ["quantity"] = 1, ["unitPrice"] = 150m }))
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        using (var removed = await _client.SendAsync(HttpMethod.Delete, $"/orders/{id}/items/BAG-003"))
            Assert.Equal(4, (await removed.JsonAsync())["version"]!.GetValue<long>());
        using (var paid = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/payment", new JsonObject { ["amount"] = 1298m, ["paymentReference"] = "UPI-42" }))
            Assert.Equal("paid", (await paid.JsonAsync())["status"]!.GetValue<string>());
        using (var shipped = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/shipment", new JsonObject { ["carrier"] = "BlueDart", ["trackingNumber"] = "BD1" }))
            Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);

        using var read = await _client.GetAsync($"/orders/{id}");
        var order = await read.JsonAsync();
        Assert.Equal("shipped", order["status"]!.GetValue<string>());
        Assert.Equal(6, order["version"]!.GetValue<long>());
        Assert.Equal(1298m, order["total"]!.GetValue<decimal>());
        Assert.NotNull(order["paidAt"]);
        Assert.NotNull(order["shippedAt"]);
    }

    [Fact]
    public async Task a_cancelled_order_records_the_reason()
    {
        var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
        using var cancelled = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/cancellation", new JsonObject { ["reason"] = "ordered twice" });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

        var order = await (await _client.GetAsync($"/orders/{id}")).JsonAsync();
        Assert.Equal("cancelled", order["status"]!.GetValue<string>());
        Assert.Equal("ordered twice", order["cancellationReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task an_omitted_currency_defaults_to_inr()
    {
        var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid(), currency: null));
        var order = await (await _client.GetAsync($"/orders/{id}")).JsonAsync();
        Assert.Equal("INR", order["currency"]!.GetValue<string>());
    }
}
