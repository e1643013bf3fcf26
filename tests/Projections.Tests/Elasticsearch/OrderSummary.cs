using Elastic.Clients.Elasticsearch.Mapping;
using EventSourcing.Projections.Sinks.Elasticsearch;

namespace EventSourcing.Projections.Tests.Elasticsearch;

/// <summary>The read model the Elasticsearch tests write: an order summary, as order search would index it.</summary>
public sealed record OrderSummary(string OrderId, string CustomerId, string Status, decimal Total, DateTimeOffset PlacedAt);

public static class OrderSummaryIndex
{
    // begin-snippet: es-index-definition
    public static ElasticsearchIndexDefinition Definition { get; } = ElasticsearchIndexDefinition.For<OrderSummary>(
        "orders",
        mappings => mappings
            .Dynamic(DynamicMapping.Strict)
            .Properties(p => p
                .Keyword(d => d.OrderId)
                .Keyword(d => d.CustomerId)
                .Keyword(d => d.Status)
                .ScaledFloatNumber(d => d.Total, f => f.ScalingFactor(100))
                .Date(d => d.PlacedAt)),
        settings => settings
            .NumberOfShards(1)
            .NumberOfReplicas(1)
            .RefreshInterval("1s"));
    // end-snippet

    public static OrderSummary Order(int n, string status = "placed") =>
        new($"o-{n}", $"c-{n % 3}", status, 10m * n + 0.5m, new DateTimeOffset(2026, 11, 26, 8, 0, n, TimeSpan.Zero));
}
