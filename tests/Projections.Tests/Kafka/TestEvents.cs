using Avro;
using EventSourcing.Projections.Kafka.Contracts;

namespace EventSourcing.Projections.Tests.Kafka;

public sealed record OrderPlaced(Guid OrderId, string CustomerId, decimal Amount, DateTimeOffset PlacedAt);

public sealed record OrderLineAdded(Guid OrderId, string Sku, int Quantity);

public sealed record OrderShipped(Guid OrderId, string Carrier);

/// <summary>The consumer's newer version of OrderShipped: an added field with a default.</summary>
public sealed record OrderShippedV2(Guid OrderId, string Carrier, string TrackingUrl);

internal static class TestContracts
{
    public const string OrderPlacedSchema = """
        {"type":"record","name":"OrderPlaced","namespace":"kafka.tests.order","fields":[
          {"name":"orderId","type":{"type":"string","logicalType":"uuid"}},
          {"name":"customerId","type":"string"},
          {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":2}},
          {"name":"placedAt","type":{"type":"long","logicalType":"timestamp-micros"}}]}
        """;

    public const string OrderLineAddedSchema = """
        {"type":"record","name":"OrderLineAdded","namespace":"kafka.tests.order","fields":[
          {"name":"orderId","type":{"type":"string","logicalType":"uuid"}},
          {"name":"sku","type":"string"},
          {"name":"quantity","type":"int"}]}
        """;

    public const string OrderShippedSchema = """
        {"type":"record","name":"OrderShipped","namespace":"kafka.tests.order","fields":[
          {"name":"orderId","type":{"type":"string","logicalType":"uuid"}},
          {"name":"carrier","type":"string"}]}
        """;

    public const string OrderShippedV2Schema = """
        {"type":"record","name":"OrderShipped","namespace":"kafka.tests.order","fields":[
          {"name":"orderId","type":{"type":"string","logicalType":"uuid"}},
          {"name":"carrier","type":"string"},
          {"name":"trackingUrl","type":"string","default":"none"}]}
        """;

    public static EventContracts Publisher() => new([
        new EventContract(typeof(OrderPlaced), "order.placed", 1, (RecordSchema)Schema.Parse(OrderPlacedSchema)),
        new EventContract(typeof(OrderLineAdded), "order.line-added", 1, (RecordSchema)Schema.Parse(OrderLineAddedSchema)),
        new EventContract(typeof(OrderShipped), "order.shipped", 1, (RecordSchema)Schema.Parse(OrderShippedSchema)),
    ]);

    /// <summary>A consumer built with v2 of order.shipped.</summary>
    public static EventContracts ConsumerWithShippedV2() => new([
        new EventContract(typeof(OrderPlaced), "order.placed", 1, (RecordSchema)Schema.Parse(OrderPlacedSchema)),
        new EventContract(typeof(OrderLineAdded), "order.line-added", 1, (RecordSchema)Schema.Parse(OrderLineAddedSchema)),
        new EventContract(typeof(OrderShippedV2), "order.shipped", 2, (RecordSchema)Schema.Parse(OrderShippedV2Schema)),
    ]);
}
