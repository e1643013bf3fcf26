namespace EventSourcing.EventStore;

/// <summary>
/// Who caused an event: the names of the event headers (<see cref="AppendOptions.Headers"/>) that record the
/// authenticated subject and, for a service token, the client it was issued to. Readers find them in
/// <see cref="Reading.EventEnvelope.Headers"/>; the Kafka publisher carries them as message headers.
/// </summary>
public static class ActorHeaders
{
    /// <summary>The authenticated subject (<c>sub</c>) that sent the command.</summary>
    public const string Actor = "actor";

    /// <summary>The OAuth client of a service token (<c>client_id</c>), when the token names one.</summary>
    public const string ClientId = "client-id";

    /// <summary>The headers to append with: the actor, and the client id when there is one.</summary>
    public static IReadOnlyDictionary<string, object> For(string actor, string? clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var headers = new Dictionary<string, object>(StringComparer.Ordinal) { [Actor] = actor };
        if (!string.IsNullOrWhiteSpace(clientId))
            headers[ClientId] = clientId;
        return headers;
    }

    /// <summary>A header's text, or null when the event has none (events appended before actors were recorded).</summary>
    public static string? Read(IReadOnlyDictionary<string, object> headers, string name)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.TryGetValue(name, out var value) ? value?.ToString() : null;
    }
}
