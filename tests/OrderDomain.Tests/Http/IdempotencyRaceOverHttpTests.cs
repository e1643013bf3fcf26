using System.Net;
using System.Text.Json.Nodes;

namespace EventSourcing.OrderDomain.Tests.Http;

/// <summary>
/// Identical requests with one Idempotency-Key released at the same instant (issue 14, item 3): every answer is
/// the recorded one, exactly one set of events is stored, and no duplicate ever sees a domain error.
/// </summary>
public sealed class IdempotencyRaceOverHttpTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private const int Rounds = 30;
    private const int Duplicates = 8;
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task identical_placements_released_at_once_place_one_order_and_all_get_the_recorded_201()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var key = "race-place-" + Guid.NewGuid();
            var answers = await _client.SendAtOnceAsync(Duplicates, () => IdempotencyAnswers.Request(HttpMethod.Post, "/orders", Api.NewOrder(), key));

            var first = AssertOneRecordedAnswer(answers, HttpStatusCode.Created);
            var orderId = first.Json["orderId"]!.GetValue<Guid>();
            Assert.Equal($"/orders/{orderId}", first.Location);
            Assert.Equal("\"1\"", first.ETag);
            Assert.Equal(1, await api.Postgres.CountEventsAsync(api.EventSchema, orderId));
        }
    }

    [Fact]
    public async Task identical_payments_released_at_once_pay_once_and_all_get_the_recorded_200()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
            var key = "race-pay-" + Guid.NewGuid();
            var answers = await _client.SendAtOnceAsync(Duplicates, () => IdempotencyAnswers.Request(HttpMethod.Post, $"/orders/{id}/payment",
                new JsonObject { ["amount"] = 500m, ["paymentReference"] = "UPI-" + round }, key));

            var first = AssertOneRecordedAnswer(answers, HttpStatusCode.OK);
            Assert.Equal("paid", first.Json["status"]!.GetValue<string>());
            Assert.Equal(2, await api.Postgres.CountEventsAsync(api.EventSchema, id));
        }
    }

    [Fact]
    public async Task identical_item_additions_released_at_once_add_the_item_once_and_all_get_the_recorded_200()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
            var key = "race-item-" + Guid.NewGuid();
            var answers = await _client.SendAtOnceAsync(Duplicates, () => IdempotencyAnswers.Request(HttpMethod.Post, $"/orders/{id}/items",
                new JsonObject { ["sku"] = "MUG-002", ["productName"] = "Mug", ["quantity"] = 1, ["unitPrice"] = 399m }, key));

            var first = AssertOneRecordedAnswer(answers, HttpStatusCode.OK);
            Assert.Equal(2, first.Json["version"]!.GetValue<long>());
            Assert.Equal(2, await api.Postgres.CountEventsAsync(api.EventSchema, id));
            var order = await (await _client.GetAsync($"/orders/{id}")).JsonAsync();
            Assert.Equal(1, order["lines"]!.AsArray().Single(l => l!["sku"]!.GetValue<string>() == "MUG-002")!["quantity"]!.GetValue<int>());
        }
    }

    /// <summary>One answer was produced (no replay header), every other one is its replay, byte for byte.</summary>
    private static Answer AssertOneRecordedAnswer(Answer[] answers, HttpStatusCode expected)
    {
        Assert.All(answers, a => Assert.True(a.Status == expected, $"expected {(int)expected} for every duplicate, got {a}"));
        var first = Assert.Single(answers, a => !a.Replayed);
        Assert.All(answers, a => a.AssertSameAs(first));
        Assert.False(first.Json["replayed"]!.GetValue<bool>());
        return first;
    }
}
