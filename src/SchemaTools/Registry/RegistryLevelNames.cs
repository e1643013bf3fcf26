using Confluent.SchemaRegistry;

namespace EventSourcing.SchemaTools.Registry;

using Compatibility = Confluent.SchemaRegistry.Compatibility;

/// <summary>The registry's wire names of the compatibility levels (as Confluent's REST API spells them).</summary>
internal static class RegistryLevelNames
{
    public static string ToWireName(Compatibility level) => level switch
    {
        Compatibility.None => "NONE",
        Compatibility.Backward => "BACKWARD",
        Compatibility.BackwardTransitive => "BACKWARD_TRANSITIVE",
        Compatibility.Forward => "FORWARD",
        Compatibility.ForwardTransitive => "FORWARD_TRANSITIVE",
        Compatibility.Full => "FULL",
        Compatibility.FullTransitive => "FULL_TRANSITIVE",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "unknown compatibility level"),
    };

    public static Compatibility Parse(string wireName) => wireName switch
    {
        "NONE" => Compatibility.None,
        "BACKWARD" => Compatibility.Backward,
        "BACKWARD_TRANSITIVE" => Compatibility.BackwardTransitive,
        "FORWARD" => Compatibility.Forward,
        "FORWARD_TRANSITIVE" => Compatibility.ForwardTransitive,
        "FULL" => Compatibility.Full,
        "FULL_TRANSITIVE" => Compatibility.FullTransitive,
        _ => throw new ArgumentException(
            $"'{wireName}' is not a compatibility level; use one of NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE.",
            nameof(wireName)),
    };
}
