using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EventSourcing.OrderDomain.Tests.Http;

/// <summary>One HTTP answer as the idempotency tests compare it: status, body text and the headers that matter.</summary>
internal sealed record Answer(HttpStatusCode Status, string Body, bool Replayed, string? Location, string? ETag, string? RetryAfter)
{
    public JsonObject Json => JsonNode.Parse(Body) as JsonObject ?? throw new InvalidOperationException($"not a JSON object: {Body}");

    /// <summary>The same answer apart from the replay header: status, body byte for byte, Location and ETag.</summary>
    public void AssertSameAs(Answer first)
    {
        Assert.Equal(first.Status, Status);
        Assert.Equal(first.Body, Body);
        Assert.Equal(first.Location, Location);
        Assert.Equal(first.ETag, ETag);
    }

    public override string ToString() => $"{(int)Status} {Body}";
}

internal static class IdempotencyAnswers
{
    public static HttpRequestMessage Request(HttpMethod method, string url, JsonNode? body, string key, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        request.Headers.Add("Idempotency-Key", key);
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    public static async Task<Answer> AnswerAsync(this HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";
            return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), replayed,
                response.Headers.Location?.ToString(), response.Headers.ETag?.ToString(), response.Headers.RetryAfter?.ToString());
        }
    }

    /// <summary>Sends <paramref name="count"/> identical requests released at the same instant by one gate.</summary>
    public static async Task<Answer[]> SendAtOnceAsync(this HttpClient client, int count, Func<HttpRequestMessage> request)
    {
        var requests = Enumerable.Range(0, count).Select(_ => request()).ToArray();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sends = requests.Select(async r =>
        {
            await gate.Task;
            return await client.AnswerAsync(r);
        }).ToArray();
        gate.SetResult();
        return await Task.WhenAll(sends);
    }

    /// <summary>Events of one stream in mt_events, counted with SQL.</summary>
    public static async Task<long> CountEventsAsync(this EventSourcing.TestInfrastructure.PostgresFixture postgres, string schema, Guid streamId)
    {
        await using var command = postgres.DataSource.CreateCommand($"select count(*) from {schema}.mt_events where stream_id = $1");
        command.Parameters.AddWithValue(streamId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
