using System.Text.Json;
using EventSourcing.SchemaTools.Catalog;

namespace EventSourcing.SchemaTools.Cli;

/// <summary>Prints findings as text (one line each, plus GitHub Actions annotations under Actions) or as one JSON document.</summary>
internal static class FindingWriter
{
    public static void Write(CliContext context, string format, IReadOnlyList<CheckFinding> findings, int subjectsChecked, string catalogDirectory, string source)
    {
        if (format == "json")
        {
            var document = new
            {
                compatible = findings.Count == 0,
                subjectsChecked,
                eventTypes = source,
                findings = findings.Select(f => new { subject = f.Subject, rule = f.Rule, path = f.Path, message = f.Message, file = f.File is null ? null : Path.Combine(catalogDirectory, f.File) }),
            };
            context.Output.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            foreach (var finding in findings)
                context.Output.WriteLine(finding.ToString());
            context.Output.WriteLine(findings.Count == 0
                ? $"schema-tools: {subjectsChecked} subject(s) checked, all compatible (event types from {source})."
                : $"schema-tools: {findings.Count} violation(s) in {findings.Select(f => f.Subject).Distinct(StringComparer.Ordinal).Count()} of {subjectsChecked} subject(s) (event types from {source}).");
        }

        if (context.UnderGitHubActions && format != "json")
        {
            foreach (var finding in findings)
            {
                var file = finding.File is null ? "" : $"file={Escape(Path.Combine(catalogDirectory, finding.File), property: true)},";
                context.Output.WriteLine($"::error {file}title={Escape($"schema-tools {finding.Rule}", property: true)}::{Escape($"{finding.Subject}: {finding.Path}: {finding.Message}", property: false)}");
            }
        }
    }

    /// <summary>GitHub's workflow-command escaping.</summary>
    internal static string Escape(string value, bool property)
    {
        var escaped = value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
        return property ? escaped.Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal) : escaped;
    }
}
