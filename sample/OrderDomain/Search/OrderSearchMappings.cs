using EventSourcing.Projections.Definitions;

namespace OrderDomain.Search;

/// <summary>
/// Elasticsearch mappings for <c>order_search</c>: names and places as text (full text) with keyword
/// subfields (exact match, sorting), status and ids as keywords, amounts as scaled floats, times as dates.
/// </summary>
public static class OrderSearchMappings
{
    public const string MappingsJson = """
    {
      "dynamic": "strict",
      "properties": {
        "orderId": { "type": "keyword" },
        "customerId": { "type": "keyword" },
        "customerName": { "type": "text", "fields": { "keyword": { "type": "keyword", "ignore_above": 256 } } },
        "status": { "type": "keyword" },
        "lines": {
          "properties": {
            "sku": { "type": "keyword" },
            "productName": { "type": "text", "fields": { "keyword": { "type": "keyword", "ignore_above": 256 } } },
            "quantity": { "type": "integer" },
            "unitPrice": { "type": "scaled_float", "scaling_factor": 100 }
          }
        },
        "total": { "type": "scaled_float", "scaling_factor": 100 },
        "currency": { "type": "keyword" },
        "placedAt": { "type": "date" },
        "paidAt": { "type": "date" },
        "shippedAt": { "type": "date" },
        "cancelledAt": { "type": "date" },
        "shippingCity": { "type": "text", "fields": { "keyword": { "type": "keyword", "ignore_above": 256 } } },
        "shippingCountry": { "type": "keyword" }
      }
    }
    """;

    public const string SettingsJson = """{ "number_of_shards": 1 }""";

    public static SearchIndexDefinition Index { get; } = SearchIndexDefinition.Parse(MappingsJson, SettingsJson);
}
