using System.Net;
using System.Text.Json.Nodes;
using OrderDomain.Orders.Http;

namespace EventSourcing.OrderDomain.Tests.Http;

/// <summary>
/// A key whose first request is still in flight (held at the gate, not slept on), with a 300 ms bound on how
/// long a duplicate waits: 409 idempotency_key_in_use, 422 for another request, and lease take-over.
/// </summary>
public sealed class IdempotencyInFlightOverHttpTests(ShortWaitIdempotencyApiFixture api) : IClassFixture<ShortWaitIdempotencyApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task a_duplicate_still_in_flight_after_the_wait_gets_409_idempotency_key_in_use_with_retry_after()
    {
        var key = "slow-" + Guid.NewGuid();
        var hold = api.Gate.Arm(key);
        var firstSend = _client.AnswerAsync(Place(key));
        await hold.Entered;

        var duplicate = await _client.AnswerAsync(Place(key));

        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal(OrderProblems.TypeBase + "idempotency_key_in_use", duplicate.Json["type"]!.GetValue<string>());
        Assert.Equal("idempotency_key_in_use", duplicate.Json["rule"]!.GetValue<string>());
        Assert.Contains(key, duplicate.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("1", duplicate.RetryAfter);
        Assert.False(duplicate.Replayed);
        Assert.Equal(1, hold.Commands);

        hold.Release();
        var first = await firstSend;
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var retry = await _client.AnswerAsync(Place(key));
        Assert.True(retry.Replayed);
        retry.AssertSameAs(first);
        Assert.Equal(1, hold.Commands);
    }

    [Fact]
    public async Task the_key_with_a_changed_body_or_another_route_is_422_naming_the_key_in_flight_and_after()
    {
        var key = "changed-" + Guid.NewGuid();
        var hold = api.Gate.Arm(key);
        var firstSend = _client.AnswerAsync(Place(key));
        await hold.Entered;

        var whileInFlight = await _client.AnswerAsync(IdempotencyAnswers.Request(HttpMethod.Post, "/orders", Api.NewOrder(city: "Mysuru"), key));
        hold.Release();
        var first = await firstSend;
        var orderId = first.Json["orderId"]!.GetValue<Guid>();
        var afterwards = await _client.AnswerAsync(IdempotencyAnswers.Request(HttpMethod.Post, "/orders", Api.NewOrder(city: "Mysuru"), key));
        var otherRoute = await _client.AnswerAsync(IdempotencyAnswers.Request(HttpMethod.Post, $"/orders/{orderId}/cancellation",
            new JsonObject { ["reason"] = "changed my mind" }, key));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.All([whileInFlight, afterwards, otherRoute], refused =>
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
            Assert.Equal("idempotency_key_reused", refused.Json["rule"]!.GetValue<string>());
            Assert.Contains($"Idempotency-Key '{key}'", refused.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.False(refused.Replayed);
        });
        Assert.Equal(1, hold.Commands);
        Assert.Equal(1, await api.Postgres.CountEventsAsync(api.EventSchema, orderId));
    }

    [Fact]
    public async Task an_expired_lease_is_taken_over_and_the_late_first_request_cannot_replace_the_recorded_answer()
    {
        var key = "hung-" + Guid.NewGuid();
        var hold = api.Gate.Arm(key);
        var hungSend = _client.AnswerAsync(Place(key));
        await hold.Entered;

        await ExpireLeaseAsync(key);
        var takeover = await _client.AnswerAsync(Place(key));

        Assert.Equal(HttpStatusCode.Created, takeover.Status);
        Assert.False(takeover.Replayed);
        Assert.False(takeover.Json["replayed"]!.GetValue<bool>());
        Assert.Equal(2, hold.Commands);

        hold.Release();
        var late = await hungSend;
        Assert.Equal(HttpStatusCode.Created, late.Status);
        Assert.True(late.Json["replayed"]!.GetValue<bool>()); // the event store's key answered: nothing appended twice
        var again = await _client.AnswerAsync(Place(key));
        Assert.True(again.Replayed);
        again.AssertSameAs(takeover);
        Assert.Equal(1, await api.Postgres.CountEventsAsync(api.EventSchema, takeover.Json["orderId"]!.GetValue<Guid>()));
        Assert.Contains(api.Log, m => m.Contains(key, StringComparison.Ordinal) && m.Contains("lease ran out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_request_that_appended_but_never_recorded_its_answer_is_answered_from_the_event_store_after_the_lease()
    {
        var key = "crashed-" + Guid.NewGuid();
        var hold = api.Gate.Arm(key, afterAppend: true);
        var crashedSend = _client.AnswerAsync(Place(key));
        await hold.Entered; // its events are committed; its answer is not recorded
        var orderId = OrderEndpoints.OrderIdFromKey(key);
        Assert.Equal(1, await api.Postgres.CountEventsAsync(api.EventSchema, orderId));

        await ExpireLeaseAsync(key);
        var retry = await _client.AnswerAsync(Place(key));

        Assert.Equal(HttpStatusCode.Created, retry.Status);
        Assert.False(retry.Replayed);
        Assert.Equal((orderId, 1L, true), (retry.Json["orderId"]!.GetValue<Guid>(), retry.Json["version"]!.GetValue<long>(), retry.Json["replayed"]!.GetValue<bool>()));
        Assert.Equal(1, await api.Postgres.CountEventsAsync(api.EventSchema, orderId));
        hold.Release();
        await crashedSend;
    }

    private static HttpRequestMessage Place(string key) => IdempotencyAnswers.Request(HttpMethod.Post, "/orders", Api.NewOrder(), key);

    /// <summary>What a process that died while handling the request leaves behind once its lease has run out.</summary>
    private async Task ExpireLeaseAsync(string key)
    {
        await using var command = api.Postgres.DataSource.CreateCommand(
            $"update {api.EventSchema}.http_idempotency set leased_until = now() - interval '1 second' where key = $1 and status is null");
        command.Parameters.AddWithValue(key);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
