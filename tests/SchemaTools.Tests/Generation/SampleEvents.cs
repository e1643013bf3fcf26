using System.ComponentModel;
using EventSourcing.EventStore.Naming;
using EventSourcing.SchemaTools.Generation;

namespace EventSourcing.SchemaTools.Tests.Generation;

[DefaultValue(Unknown)]
public enum PaymentMethod { Card = 5, Invoice = 1, Unknown = 0 }

public enum Priority { Low, High }

public sealed record Address(string Street, string City, string? Region);

public sealed record OrderLine(string Sku, int Quantity, [AvroDecimal(12, 2)] decimal UnitPrice);

[EventName("order.placed", Version = 2)]
public sealed record OrderPlaced(
    Guid OrderId,
    string CustomerId,
    DateTimeOffset PlacedAt,
    IReadOnlyList<OrderLine> Lines,
    decimal Total,
    Address Shipping,
    Address? Billing,
    PaymentMethod Payment,
    string? Note,
    [AvroAliases("coupon")] string? VoucherCode,
    Dictionary<string, string> Tags,
    DateOnly DeliveryDate,
    int Attempt = 1,
    Priority Priority = Priority.High,
    bool Gift = false);

[EventName("shop.all-types")]
public sealed record AllTypes(
    string Text,
    bool Flag,
    int Small,
    long Big,
    float Single,
    double Real,
    decimal Amount,
    Guid Id,
    DateTimeOffset At,
    DateTime LocalAt,
    DateOnly Day,
    TimeOnly Time,
    byte[] Payload,
    int? MaybeCount,
    long[] Numbers,
    List<string?> MaybeNames,
    IReadOnlyDictionary<string, decimal> Prices,
    Dictionary<string, Address?> Places,
    [property: DefaultValue(2.5)] double Ratio,
    [property: AvroDecimal(10, 2), DefaultValue(typeof(decimal), "19.99")] decimal Fee,
    int? Retries = 3);

public sealed record Category(string Name, IReadOnlyList<Category> Children, Category? Parent);

[EventName("catalog.category-defined")]
public sealed record CategoryDefined(Category Root);

[EventName("bad.dictionary")]
public sealed record BadDictionary(Dictionary<int, string> ByNumber);

[EventName("bad.object")]
public sealed record BadObject(object Anything);

public sealed record NoEventName(string Value);
