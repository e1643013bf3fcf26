using System.Globalization;

namespace EventSourcing.Reliability.Infrastructure;

/// <summary>
/// The suite's knobs, from the environment: <c>RELIABILITY_SEED</c> replays a run (every random choice of
/// every scenario derives from it), <c>RELIABILITY_LONG=1</c> multiplies every count by 10 for soak testing.
/// </summary>
public static class SuiteSettings
{
    public const string SeedVariable = "RELIABILITY_SEED";
    public const string LongVariable = "RELIABILITY_LONG";

    /// <summary>10 in long (soak) mode, 1 otherwise.</summary>
    public static int Scale { get; } = ReadLong() ? 10 : 1;

    public static bool Long => Scale > 1;

    /// <summary>The seed given in <c>RELIABILITY_SEED</c>, or a fresh one.</summary>
    public static int NewSeed()
    {
        var value = Environment.GetEnvironmentVariable(SeedVariable);
        if (string.IsNullOrWhiteSpace(value))
            return Random.Shared.Next(1, int.MaxValue);
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new InvalidOperationException($"{SeedVariable} is '{value}', which is not a whole number (use the seed a failed run printed)");
    }

    private static bool ReadLong()
    {
        var value = Environment.GetEnvironmentVariable(LongVariable);
        return value switch
        {
            null or "" or "0" or "false" => false,
            "1" or "true" => true,
            _ => throw new InvalidOperationException($"{LongVariable} is '{value}'; use 1 (soak: 10x the counts) or leave it unset"),
        };
    }
}
