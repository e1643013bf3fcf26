using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventSourcing.OrderDomain.Tests.Http;

/// <summary>Request bodies and helpers for the HTTP tests, as a client would write them (plain JSON).</summary>
internal static class Api
{
    public static JsonObject NewOrder(Guid? id = null, string customer = "cust-1", string name = "Asha Rao", string city = "Bengaluru",
        string? currency = "INR", params (string Sku, string Product, int Quantity, decimal Price)[] lines)
    {
        if (lines.Length == 0)
            lines = [("TEA-001", "Assam Tea 500g", 2, 250m)];
        var body = new JsonObject
        {
            ["customerId"] = customer,
            ["customerName"] = name,
            ["lines"] = new JsonArray([.. lines.Select(l => (JsonNode)new JsonObject { ["sku"] = l.Sku, ["productName"] = l.Product, ["quantity"] = l.Quantity, ["unitPrice"] = l.Price })]),
            ["shippingAddress"] = new JsonObject { ["street"] = "12 MG Road", ["city"] = city, ["postalCode"] = "560001", ["country"] = "IN" },
        };
        if (id is not null)
            body["orderId"] = id.Value.ToString();
        if (currency is not null)
            body["currency"] = currency;
        return body;
    }

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url, JsonNode? body = null,
        string? ifMatch = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject
        ?? throw new InvalidOperationException("the response body is not a JSON object");

    public static async Task<Guid> PlaceAsync(this HttpClient client, JsonObject? body = null)
    {
        using var response = await client.SendAsync(HttpMethod.Post, "/orders", body ?? NewOrder());
        var json = await response.JsonAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /orders answered {(int)response.StatusCode}: {json.ToJsonString()}");
        return json["orderId"]!.GetValue<Guid>();
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
