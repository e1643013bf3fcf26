using Avro;
using Avro.Specific;

namespace EventSourcing.SchemaTools.Tests.Registry;

/// <summary>A consumer's compiled v2 contract (what avrogen would emit), read through Confluent's specific deserializer.</summary>
public sealed class OrderPlacedV2Record : ISpecificRecord
{
    public static readonly Schema Contract = Schema.Parse(Schemas.OrderPlacedV2);

    public string OrderId { get; set; } = "";

    public long Amount { get; set; }

    public string Currency { get; set; } = "";

    public Schema Schema => Contract;

    public object Get(int fieldPos) => fieldPos switch
    {
        0 => OrderId,
        1 => Amount,
        2 => Currency,
        _ => throw new AvroRuntimeException($"Bad index {fieldPos} in Get()"),
    };

    public void Put(int fieldPos, object fieldValue)
    {
        switch (fieldPos)
        {
            case 0: OrderId = (string)fieldValue; break;
            case 1: Amount = (long)fieldValue; break;
            case 2: Currency = (string)fieldValue; break;
            default: throw new AvroRuntimeException($"Bad index {fieldPos} in Put()");
        }
    }
}
