using System.Text;
using System.Text.Json;

namespace EventSourcing.Reliability.Load;

/// <summary>One answer to one of the identical requests.</summary>
public sealed record RaceAnswer(int Status, Guid? OrderId, long? Version, string? OrderStatus, string? Rule, string Body)
{
    public bool Succeeded => Status is >= 200 and < 300;

    public override string ToString() => Succeeded ? $"{Status} v{Version} {OrderStatus}" : $"{Status} {Rule ?? Body}";
}

/// <summary>Sends the same request (same Idempotency-Key, same body) from several tasks released by one gate at the same instant.</summary>
public static class IdenticalRequests
{
    public static async Task<IReadOnlyList<RaceAnswer>> SendAsync(HttpClient http, HttpMethod method, string path, string key, string body, int copies)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, copies).Select(async _ =>
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", key);
            await gate.Task;
            using var response = await http.SendAsync(request);
            return Read((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }).ToList();
        gate.SetResult();
        return await Task.WhenAll(requests);
    }

    private static RaceAnswer Read(int status, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            return status is >= 200 and < 300
                ? new RaceAnswer(status, root.GetProperty("orderId").GetGuid(), root.GetProperty("version").GetInt64(), root.GetProperty("status").GetString(), null, body)
                : new RaceAnswer(status, null, null, null, root.TryGetProperty("rule", out var rule) ? rule.GetString() : null, body);
        }
        catch (JsonException)
        {
            return new RaceAnswer(status, null, null, null, null, body);
        }
    }
}
