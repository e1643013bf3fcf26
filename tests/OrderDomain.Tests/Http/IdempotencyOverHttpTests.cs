using System.Net;
using System.Text.Json.Nodes;

namespace EventSourcing.OrderDomain.Tests.Http;

public sealed class IdempotencyOverHttpTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task a_retried_post_orders_with_the_same_key_places_one_order()
    {
        var key = "place-" + Guid.NewGuid();
        using var first = await _client.SendAsync(HttpMethod.Post, "/orders", Api.NewOrder(), idempotencyKey: key);
        using var retry = await _client.SendAsync(HttpMethod.Post, "/orders", Api.NewOrder(), idempotencyKey: key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var a = await first.JsonAsync();
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.False(a["replayed"]!.GetValue<bool>());
        var order = await (await _client.GetAsync($"/orders/{a["orderId"]}")).JsonAsync();
        Assert.Equal(1, order["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task a_retried_payment_returns_the_first_result_instead_of_already_paid()
    {
        var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
        var payment = new JsonObject { ["amount"] = 500m, ["paymentReference"] = "UPI-1" };
        using var first = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/payment", payment, idempotencyKey: "pay-1");
        using var retry = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/payment", payment.DeepClone(), idempotencyKey: "pay-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(2, (await (await _client.GetAsync($"/orders/{id}")).JsonAsync())["version"]!.GetValue<long>());

        using var withoutKey = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/payment", payment.DeepClone());
        Assert.Equal(HttpStatusCode.Conflict, withoutKey.StatusCode);
    }

    [Fact]
    public async Task a_retry_with_if_match_and_the_same_key_returns_the_first_result()
    {
        var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
        var reason = new JsonObject { ["reason"] = "changed my mind" };
        using var first = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/cancellation", reason, ifMatch: "\"1\"", idempotencyKey: "cancel-1");
        using var retry = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/cancellation", reason.DeepClone(), ifMatch: "\"1\"", idempotencyKey: "cancel-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(2, (await retry.JsonAsync())["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task the_same_key_for_a_different_request_is_refused()
    {
        var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
        using var first = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/items",
            new JsonObject { ["sku"] = "MUG-002", ["productName"] = "Mug", ["quantity"] = 1, ["unitPrice"] = 399m }, idempotencyKey: "item-1");
        using var other = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/items",
            new JsonObject { ["sku"] = "BAG-003", ["productName"] = "Bag", ["quantity"] = 1, ["unitPrice"] = 150m }, idempotencyKey: "item-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("idempotency_key_reused", (await other.JsonAsync())["rule"]!.GetValue<string>());
        Assert.Equal(2, (await (await _client.GetAsync($"/orders/{id}")).JsonAsync())["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task a_refusal_is_recorded_too_and_its_retry_gets_the_same_4xx_even_after_the_order_exists()
    {
        var id = Guid.NewGuid();
        var item = new JsonObject { ["sku"] = "MUG-002", ["productName"] = "Mug", ["quantity"] = 1, ["unitPrice"] = 399m };
        using var refused = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/items", item, idempotencyKey: "early-item-" + id);
        await _client.PlaceAsync(Api.NewOrder(id));
        using var retry = await _client.SendAsync(HttpMethod.Post, $"/orders/{id}/items", item.DeepClone(), idempotencyKey: "early-item-" + id);

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, retry.StatusCode);
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(await refused.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(1, (await (await _client.GetAsync($"/orders/{id}")).JsonAsync())["version"]!.GetValue<long>());
    }
}
