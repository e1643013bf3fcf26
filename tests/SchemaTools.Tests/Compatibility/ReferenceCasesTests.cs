using System.Text.Json;
using EventSourcing.SchemaTools.Compatibility;

namespace EventSourcing.SchemaTools.Tests.Compatibility;

public sealed class ReferenceCasesTests
{
    private const string Missing = "(reference cases not found)";

    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        if (ReferenceCases.All is null)
        {
            data.Add(Missing);
            return data;
        }

        foreach (var id in ReferenceCases.All.Keys)
            data.Add(id);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(CaseIds))]
    public void the_checker_gives_the_reference_answer(string id)
    {
        Skip.If(id == Missing, $"Avro reference cases: no shared/reference/avro-compat/cases.json above the clone; set {ReferenceCases.Variable} to run them");
        var @case = ReferenceCases.All![id];
        var level = CompatibilityLevels.Parse(@case.GetProperty("level").GetString()!);
        var previous = @case.GetProperty("previous").EnumerateArray().Select(p => p.GetRawText()).ToList();
        var candidate = @case.GetProperty("candidate").GetRawText();
        var expected = @case.GetProperty("compatible").GetBoolean();

        var result = SchemaCompatibility.Check(level, previous, candidate);

        Assert.True(expected == result.IsCompatible,
            $"{id}: expected {(expected ? "compatible" : "incompatible")} but got {(result.IsCompatible ? "compatible" : string.Join("; ", result.Violations))}\n{@case.GetProperty("note")}");
    }

    [SkippableFact]
    public void all_459_reference_cases_are_present()
    {
        Skip.If(ReferenceCases.All is null, $"Avro reference cases not found; set {ReferenceCases.Variable} to run them");
        Assert.Equal(459, ReferenceCases.All!.Count);
    }

    [SkippableFact]
    public void every_incompatible_reference_case_names_the_expected_rule_when_one_is_given()
    {
        Skip.If(ReferenceCases.All is null, $"Avro reference cases not found; set {ReferenceCases.Variable} to run them");
        var mismatches = new List<string>();
        foreach (var (id, @case) in ReferenceCases.All!)
        {
            if (!@case.TryGetProperty("incompatibilities", out var expectedRules))
                continue;
            var result = SchemaCompatibility.Check(
                CompatibilityLevels.Parse(@case.GetProperty("level").GetString()!),
                @case.GetProperty("previous").EnumerateArray().Select(p => p.GetRawText()).ToList(),
                @case.GetProperty("candidate").GetRawText());
            var found = result.Violations.Select(v => v.RuleName).ToHashSet(StringComparer.Ordinal);
            foreach (var rule in expectedRules.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!found.Contains(rule))
                    mismatches.Add($"{id}: expected {rule}, found [{string.Join(", ", found)}]");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }
}
