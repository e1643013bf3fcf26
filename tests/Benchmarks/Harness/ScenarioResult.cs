using System.Text.Json.Serialization;

namespace EventSourcing.Benchmarks.Harness;

public enum Better
{
    Higher,
    Lower,
}

/// <summary>
/// One scenario's outcome: our number beside the baseline's, measured in the same run.
/// <see cref="Ratio"/> is always ours/baseline; <paramref name="Target"/> is compared with it
/// according to <see cref="Better"/>.
/// </summary>
/// <param name="Scenario">Scenario name, e.g. batch-append.</param>
/// <param name="Ours">Our measurement.</param>
/// <param name="Baseline">The baseline's measurement in the same process.</param>
/// <param name="Unit">events/s, commands/s, ms ...</param>
/// <param name="Better">Whether higher or lower is better.</param>
/// <param name="Target">The required ours/baseline ratio: a minimum when higher is better, a maximum when lower is better.</param>
/// <param name="Notes">Extra numbers worth printing (p50/p99, other writer counts), in display order.</param>
public sealed record ScenarioResult(
    string Scenario,
    double Ours,
    double Baseline,
    string Unit,
    Better Better,
    double? Target = null,
    IReadOnlyList<KeyValuePair<string, string>>? Notes = null)
{
    [JsonIgnore]
    public double Ratio => Baseline == 0 ? double.NaN : Ours / Baseline;

    [JsonIgnore]
    public bool? MeetsTarget => Target is not { } t || double.IsNaN(Ratio)
        ? null
        : Better == Better.Higher ? Ratio >= t : Ratio <= t;
}
