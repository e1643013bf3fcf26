namespace EventSourcing.SchemaTools.Tests.Registry;

internal static class Schemas
{
    public const string OrderPlacedV1 = """
        {"type":"record","name":"OrderPlaced","namespace":"orders","fields":[
          {"name":"orderId","type":"string"},
          {"name":"amount","type":"long"}]}
        """;

    /// <summary>v1 with an added field that has a default: BACKWARD compatible.</summary>
    public const string OrderPlacedV2 = """
        {"type":"record","name":"OrderPlaced","namespace":"orders","fields":[
          {"name":"orderId","type":"string"},
          {"name":"amount","type":"long"},
          {"name":"currency","type":"string","default":"EUR"}]}
        """;

    /// <summary>v1 with an added field without a default: a v2 reader cannot read v1 data (breaks BACKWARD).</summary>
    public const string OrderPlacedV2Breaking = """
        {"type":"record","name":"OrderPlaced","namespace":"orders","fields":[
          {"name":"orderId","type":"string"},
          {"name":"amount","type":"long"},
          {"name":"currency","type":"string"}]}
        """;
}
