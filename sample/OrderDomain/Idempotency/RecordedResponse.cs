namespace OrderDomain.Idempotency;

/// <summary>
/// An answer as it was sent: status, the headers a client acts on, and the body byte for byte.
/// A replay writes it again with <c>Idempotent-Replayed: true</c>.
/// </summary>
public sealed record RecordedResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The headers that are recorded and replayed; the others (Date, Server, ...) belong to the moment of sending.</summary>
    public static IReadOnlyList<string> RecordedHeaders { get; } = ["Content-Type", "Content-Language", "Location", "ETag", "Last-Modified"];

    public static RecordedResponse Capture(HttpResponse response, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in RecordedHeaders)
        {
            if (response.Headers.TryGetValue(name, out var value) && value.Count > 0)
                headers[name] = value.ToString();
        }

        return new RecordedResponse(response.StatusCode, headers, body);
    }

    public async Task ReplayAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.StatusCode = Status;
        foreach (var (name, value) in Headers)
            response.Headers[name] = value;
        response.Headers[ReplayedHeader] = "true";
        response.ContentLength = Body.Length;
        await response.Body.WriteAsync(Body, context.RequestAborted);
    }
}
