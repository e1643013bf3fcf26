using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Marten.Services.Json.Transformations;

namespace EventSourcing.EventStore.Upcasting;

/// <summary>
/// Plugs one stored (name, version) into Marten's upcasting, so the chain applies on every Marten
/// read path: stream fetches, aggregation, the async daemon, rebuilds and dead-letter replays.
/// </summary>
internal sealed class MartenUpcaster(UpcasterRegistration source, UpcastChain chain, Type targetType) : IEventUpcaster
{
    public string EventTypeName => source.StoredName;

    public Type EventType => targetType;

    public object FromDbDataReader(ISerializer serializer, DbDataReader dbDataReader, int index)
    {
        var json = (JsonNode?)serializer.FromJson(typeof(JsonNode), dbDataReader, index);
        return Convert(serializer, json);
    }

    public async ValueTask<object> FromDbDataReaderAsync(ISerializer serializer, DbDataReader dbDataReader, int index, CancellationToken ct)
    {
        var json = (JsonNode?)await serializer.FromJsonAsync(typeof(JsonNode), dbDataReader, index, ct).ConfigureAwait(false);
        return Convert(serializer, json);
    }

    private object Convert(ISerializer serializer, JsonNode? json)
    {
        if (json is not JsonObject payload)
            throw new InvalidOperationException($"stored event '{source.StoredName}' has a payload that is not a JSON object");

        var results = chain.Run(source.FromName, source.FromVersion, payload);
        if (targetType != typeof(SplitEvent) && results.Count != 1)
            throw new InvalidOperationException(
                $"upcaster chain from '{source.StoredName}' produced {results.Count} events; register it with EventTypeRegistry.Split to turn one event into several");
        var events = new object[results.Count];
        for (var i = 0; i < results.Count; i++)
        {
            var (type, body) = results[i];
            using var stream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(body));
            events[i] = serializer.FromJson(type.ClrType, stream);
        }

        return targetType == typeof(SplitEvent) ? new SplitEvent(events) : events[0];
    }
}
