using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace OrderDomain.Search;

/// <summary>
/// Order search on the PostgreSQL read model (the embedded default). Every value from the request is a
/// typed parameter; the SQL text is built only from constants chosen by the validated query. The total, the
/// status facets and the page come from one statement, so from one snapshot: they always agree with each other.
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
        var (where, parameters) = Where(query, includeStatus: false);
        var orderBy = OrderBy(query);

        // One statement, so one snapshot: the total, the facets and the page are counted from the same rows even while
        // the daemon writes and a rebuild re-points the view (separate statements each take their own snapshot).
        await using var command = database.DataSource.CreateCommand(
            $"with matches as materialized (select key, data from {view} where {where}), " +
            $"selected as (select key, data from matches where {StatusFilter(query)}) " +
            "select (select count(*) from selected), " +
            "(select coalesce(json_object_agg(status, n), '{}') from " +
            "(select data->>'status' as status, count(*) as n from matches where data->>'status' is not null group by 1) f)::text, " +
            "(select coalesce(json_agg(data order by ordinal), '[]') from " +
            $"(select data, row_number() over (order by {orderBy}) as ordinal from selected order by {orderBy} limit @limit offset @offset) p)::text");
        foreach (var p in parameters) command.Parameters.Add(p);
        if (query.Statuses.Count > 0)
            command.Parameters.Add(new NpgsqlParameter<string[]>("statuses", [.. query.Statuses]));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", query.PageSize));
        command.Parameters.Add(new NpgsqlParameter<int>("offset", query.Skip));

        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt64(0);
        var byStatus = OrderSearchQuery.KnownStatuses.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        foreach (var (status, count) in JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(1), store.Json)!)
            byStatus[status] = count;
        var documents = JsonSerializer.Deserialize<List<OrderSearchDocument>>(reader.GetString(2), store.Json)
            ?? throw new InvalidOperationException($"no page of documents from {view}");
        return new OrderSearchResult(total, query.Page, query.PageSize, documents, byStatus);
    }

    private static string StatusFilter(OrderSearchQuery query) => query.Statuses.Count > 0 ? "data->>'status' = any(@statuses)" : "true";

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
