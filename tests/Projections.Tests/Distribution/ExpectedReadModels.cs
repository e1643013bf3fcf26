using System.Text.Json;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Tests.Support;
using Marten;
using Npgsql;

namespace EventSourcing.Projections.Tests.Distribution;

/// <summary>The documents a read model must hold: its projection folded over the whole log in memory, without the daemon.</summary>
public static class ExpectedReadModels
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IReadOnlyDictionary<string, OrderSummary>> FoldAsync(IDocumentStore store, IReadModelProjection projection)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
        var documents = new SortedDictionary<string, OrderSummary>(StringComparer.Ordinal);
        foreach (var e in events.Where(e => projection.EventTypes.Contains(e.Data.GetType())).Select(e => e.ToProjected()))
        {
            var key = projection.KeyOf(e);
            if (projection.Apply(documents.GetValueOrDefault(key), e) is OrderSummary document)
                documents[key] = document;
            else
                documents.Remove(key);
        }

        return documents;
    }

    /// <summary>The read model as readers see it (its view), as documents.</summary>
    public static async Task<IReadOnlyDictionary<string, OrderSummary>> ReadAsync(NpgsqlDataSource dataSource, string schema, string readModel)
    {
        var rows = await ReadModelReader.ReadViewAsync(dataSource, schema, readModel);
        return new SortedDictionary<string, OrderSummary>(
            rows.ToDictionary(r => r.Key, r => JsonSerializer.Deserialize<OrderSummary>(r.Value, Json)!), StringComparer.Ordinal);
    }
}
