using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EventSourcing.Benchmarks.Harness;

/// <summary>Prints the table, one JSON object per scenario, and rewrites the suite's section of docs/benchmarks.md.</summary>
public static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string JsonLine(string suite, ScenarioResult r) => JsonSerializer.Serialize(new
    {
        suite,
        scenario = r.Scenario,
        ours = Math.Round(r.Ours, 3),
        baseline = Math.Round(r.Baseline, 3),
        unit = r.Unit,
        better = r.Better == Better.Higher ? "higher" : "lower",
    });

    public static string Table(IReadOnlyList<ScenarioResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| scenario | ours | baseline | unit | ours/baseline | target | met | notes |");
        sb.AppendLine("|---|---:|---:|---|---:|---|---|---|");
        foreach (var r in results)
        {
            var target = r.Target is { } t ? (r.Better == Better.Higher ? ">= " : "<= ") + t.ToString("0.##", Invariant) : "";
            var met = r.MeetsTarget switch { true => "yes", false => "**no**", null => "" };
            var notes = r.Notes is null ? "" : string.Join("; ", r.Notes.Select(n => $"{n.Key} {n.Value}"));
            sb.Append(Invariant, $"| {r.Scenario} | {Format(r.Ours)} | {Format(r.Baseline)} | {r.Unit} | {r.Ratio:0.00} | {target} | {met} | {notes} |");
            sb.AppendLine();
        }

        return sb.ToString();
    }

    public static async Task WriteDocsAsync(string suite, bool quick, IReadOnlyList<ScenarioResult> results, CancellationToken cancellationToken)
    {
        var path = Path.Combine(TestInfrastructure.RepositoryRoot.Path, "docs", "benchmarks.md");
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : Header;
        var begin = $"<!-- suite:{suite} -->";
        var end = $"<!-- /suite:{suite} -->";
        var command = $"dotnet run -c Release --project tests/Benchmarks -- {suite}{(quick ? " --quick" : "")}";
        var section = new StringBuilder()
            .AppendLine(begin)
            .AppendLine(Invariant, $"## {suite}")
            .AppendLine()
            .AppendLine(Invariant, $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {(quick ? "quick mode" : "full size")}. Reproduce with:")
            .AppendLine()
            .AppendLine("```")
            .AppendLine(command)
            .AppendLine("```")
            .AppendLine()
            .Append(Table(results))
            .AppendLine()
            .AppendLine("```json")
            .AppendJoin(Environment.NewLine, results.Select(r => JsonLine(suite, r)))
            .AppendLine()
            .AppendLine("```")
            .Append(end)
            .ToString();

        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        text = start >= 0 && stop > start
            ? text[..start] + section + text[(stop + end.Length)..]
            : text.TrimEnd() + Environment.NewLine + Environment.NewLine + section + Environment.NewLine;
        await File.WriteAllTextAsync(path, text, cancellationToken);
    }

    private static string Format(double value) => value switch
    {
        double.NaN => "n/a",
        >= 100 => value.ToString("N0", Invariant),
        _ => value.ToString("0.##", Invariant),
    };

    private const string Header = """
        # Benchmarks

        Every scenario runs our code and its baseline in the same process, on the same PostgreSQL
        server, one after the other, so the ratio survives a noisy machine better than either number.
        The suites provision PostgreSQL by themselves (`tests/postgres.sh`, or `POSTGRES_CONNECTION`).
        Each run rewrites its own section below; `--quick` runs smaller sizes (under 60 s a suite).
        `--scenario=NAME` runs only the part of a suite that measures NAME, for iterating: it prints the table
        and JSON lines and leaves this file alone. Each side warms up before it is measured, and a log the
        benchmark writes is analyzed (`ANALYZE`) before a daemon pages it, as a production log would have been
        (why: [scaling.md](scaling.md#numbers)).

        """;
}
