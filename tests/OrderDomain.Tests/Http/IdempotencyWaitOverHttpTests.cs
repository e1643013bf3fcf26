using System.Net;
using System.Text.Json.Nodes;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.OrderDomain.Tests.Http;

/// <summary>A duplicate of a request in flight waits for it (bound 60 s here) and gets its recorded answer.</summary>
public sealed class IdempotencyWaitOverHttpTests(LongWaitIdempotencyApiFixture api) : IClassFixture<LongWaitIdempotencyApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task a_duplicate_of_a_request_in_flight_waits_and_gets_its_recorded_answer()
    {
        var id = await _client.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
        var key = "wait-" + Guid.NewGuid();
        var hold = api.Gate.Arm(key);
        var payment = new JsonObject { ["amount"] = 500m, ["paymentReference"] = "UPI-9" };
        var firstSend = _client.AnswerAsync(IdempotencyAnswers.Request(HttpMethod.Post, $"/orders/{id}/payment", payment, key));
        await hold.Entered;

        var duplicateSend = _client.AnswerAsync(IdempotencyAnswers.Request(HttpMethod.Post, $"/orders/{id}/payment", payment.DeepClone(), key));
        await Eventually.Until(() => Task.FromResult(api.Log.Any(m => m.Contains(key, StringComparison.Ordinal) && m.Contains("waiting", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30), "the duplicate to wait for the request in flight");
        Assert.False(duplicateSend.IsCompleted);
        hold.Release();
        var first = await firstSend;
        var duplicate = await duplicateSend;

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.False(first.Replayed);
        Assert.True(duplicate.Replayed);
        duplicate.AssertSameAs(first);
        Assert.Equal(1, hold.Commands);
        Assert.Equal(2, await api.Postgres.CountEventsAsync(api.EventSchema, id));
    }

    [Fact]
    public async Task a_request_that_failed_with_a_server_error_is_not_recorded_and_its_retry_executes()
    {
        var key = "fails-" + Guid.NewGuid();
        var hold = api.Gate.Arm(key, failFirst: true);

        var failed = await _client.AnswerAsync(IdempotencyAnswers.Request(HttpMethod.Post, "/orders", Api.NewOrder(), key));
        var retry = await _client.AnswerAsync(IdempotencyAnswers.Request(HttpMethod.Post, "/orders", Api.NewOrder(), key));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        Assert.Equal(HttpStatusCode.Created, retry.Status);
        Assert.False(retry.Replayed);
        Assert.Equal(2, hold.Commands);
        Assert.Equal(1, await api.Postgres.CountEventsAsync(api.EventSchema, retry.Json["orderId"]!.GetValue<Guid>()));
    }
}
