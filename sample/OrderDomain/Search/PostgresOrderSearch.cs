using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace OrderDomain.Search;

/// <summary>
/// Order search on the PostgreSQL read model (the embedded default). Every value from the request is a
/// typed parameter; the SQL text is built only from constants chosen by the validated query.
/// </summary>
public sealed class PostgresOrderSearch(ReadModelDatabase database, OrderSearchStore store) : IOrderSearch
{
    private const string SearchText =
        "to_tsvector('simple', coalesce(data->>'customerName', '') || ' ' || coalesce(data->>'shippingCity', '') || ' ' || " +
        "coalesce((select string_agg(l->>'productName', ' ') from jsonb_array_elements(data->'lines') l), ''))";

    public string Backend => "postgres";

    public async Task<OrderSearchResult> SearchAsync(OrderSearchQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var view = store.OrderSearchView;
        await using var batch = database.DataSource.CreateBatch();

        var (where, parameters) = Where(query, includeStatus: true);
        var hits = new NpgsqlBatchCommand(
            $"select data::text from {view} where {where} order by {OrderBy(query)} limit @limit offset @offset");
        foreach (var p in parameters) hits.Parameters.Add(p);
        hits.Parameters.Add(new NpgsqlParameter<int>("limit", query.PageSize));
        hits.Parameters.Add(new NpgsqlParameter<int>("offset", query.Skip));
        batch.BatchCommands.Add(hits);

        var count = new NpgsqlBatchCommand($"select count(*) from {view} where {where}");
        foreach (var p in Where(query, includeStatus: true).Parameters) count.Parameters.Add(p);
        batch.BatchCommands.Add(count);

        var (facetWhere, facetParameters) = Where(query, includeStatus: false);
        var facets = new NpgsqlBatchCommand($"select data->>'status', count(*) from {view} where {facetWhere} group by 1");
        foreach (var p in facetParameters) facets.Parameters.Add(p);
        batch.BatchCommands.Add(facets);

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var documents = new List<OrderSearchDocument>();
        while (await reader.ReadAsync(ct))
            documents.Add(JsonSerializer.Deserialize<OrderSearchDocument>(reader.GetString(0), store.Json)
                ?? throw new InvalidOperationException($"a null document in {view}"));

        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt64(0);

        await reader.NextResultAsync(ct);
        var byStatus = OrderSearchQuery.KnownStatuses.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
            byStatus[reader.GetString(0)] = reader.GetInt64(1);

        return new OrderSearchResult(total, query.Page, query.PageSize, documents, byStatus);
    }

    /// <summary>The where clause and its parameters. Public so tests can see that input never becomes SQL text.</summary>
    public static (string Sql, IReadOnlyList<NpgsqlParameter> Parameters) Where(OrderSearchQuery query, bool includeStatus)
    {
        ArgumentNullException.ThrowIfNull(query);
        var clauses = new List<string> { "true" };
        var parameters = new List<NpgsqlParameter>();
        if (query.Text is { } text)
        {
            clauses.Add($"{SearchText} @@ plainto_tsquery('simple', @q)");
            parameters.Add(new NpgsqlParameter<string>("q", text));
        }

        if (includeStatus && query.Statuses.Count > 0)
        {
            clauses.Add("data->>'status' = any(@statuses)");
            parameters.Add(new NpgsqlParameter<string[]>("statuses", [.. query.Statuses]));
        }

        if (query.CustomerId is { } customer)
        {
            clauses.Add("data->>'customerId' = @customer");
            parameters.Add(new NpgsqlParameter<string>("customer", customer));
        }

        if (query.From is { } from)
        {
            clauses.Add("(data->>'placedAt')::timestamptz >= @from");
            parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", NpgsqlDbType.TimestampTz) { TypedValue = from.ToUniversalTime() });
        }

        if (query.To is { } to)
        {
            clauses.Add("(data->>'placedAt')::timestamptz <= @to");
            parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", NpgsqlDbType.TimestampTz) { TypedValue = to.ToUniversalTime() });
        }

        if (query.MinTotal is { } min)
        {
            clauses.Add("(data->>'total')::numeric >= @minTotal");
            parameters.Add(new NpgsqlParameter<decimal>("minTotal", min));
        }

        if (query.MaxTotal is { } max)
        {
            clauses.Add("(data->>'total')::numeric <= @maxTotal");
            parameters.Add(new NpgsqlParameter<decimal>("maxTotal", max));
        }

        return (string.Join(" and ", clauses), parameters);
    }

    private static string OrderBy(OrderSearchQuery query)
    {
        var column = query.Sort switch
        {
            OrderSortField.Total => "(data->>'total')::numeric",
            OrderSortField.CustomerName => "lower(data->>'customerName')",
            _ => "(data->>'placedAt')::timestamptz",
        };
        var direction = query.Descending ? "desc" : "asc";
        return $"{column} {direction}, (data->>'placedAt')::timestamptz {direction}, key {direction}";
    }
}
