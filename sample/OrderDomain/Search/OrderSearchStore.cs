using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderDomain.Search;

/// <summary>Where the PostgreSQL read models live (the projection host's sink schema) and how their JSON reads.</summary>
public sealed class OrderSearchStore
{
    public OrderSearchStore(string schema)
    {
        if (string.IsNullOrWhiteSpace(schema) || !schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            throw new ArgumentException($"read-model schema '{schema}' must be a lower-case PostgreSQL identifier", nameof(schema));
        Schema = schema;
    }

    public string Schema { get; }

    /// <summary>The view the projection host keeps pointed at the live version of <c>order_search</c>.</summary>
    public string OrderSearchView => $"{Schema}.rm_{OrderSearchProjection.ReadModelName}";

    public string CustomerOrdersView => $"{Schema}.rm_{Customers.CustomerOrdersProjection.ReadModelName}";

    public JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
