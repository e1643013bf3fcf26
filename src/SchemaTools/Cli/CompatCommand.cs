using System.CommandLine;
using System.Text.Json;
using EventSourcing.SchemaTools.Compatibility;
using EventSourcing.SchemaTools.Parsing;

namespace EventSourcing.SchemaTools.Cli;

internal static class CompatCommand
{
    public static Command Create(CliContext context)
    {
        var level = new Option<string>("--level", "-l")
        {
            Description = "Compatibility level: NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE.",
            Required = true,
        };
        var files = new Argument<FileInfo[]>("schemas")
        {
            Description = "Schema files (.avsc, any Avro schema JSON): the previous versions oldest first, then the candidate last.",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = CommonOptions.Format();
        var command = new Command("compat", """
            Check one candidate schema against earlier versions given oldest first, under a Confluent level.
            Exit 0: compatible. Exit 1: incompatible, one line per violation on stdout
            (path: RULE: message). Exit 2: bad input (unreadable file, invalid schema with its line and column,
            unknown level).
            Example: schema-tools compat --level BACKWARD schemas/order.placed/v1.avsc schemas/order.placed/v2.avsc new.avsc
            """)
        {
            level, format, files,
        };
        command.SetAction((result, ct) => CommonOptions.Guard(context, async () =>
        {
            if (!CompatibilityLevels.TryParse(result.GetValue(level), out var parsedLevel))
                throw new CliInputException($"--level '{result.GetValue(level)}' is not a compatibility level; use one of {string.Join(", ", CompatibilityLevels.Names)}.");
            var paths = result.GetValue(files)!;
            if (paths.Length < 2)
                throw new CliInputException("give at least one previous schema and the candidate: compat --level LEVEL PREVIOUS.avsc... CANDIDATE.avsc");
            var schemas = new List<AvroSchema>();
            foreach (var file in paths)
            {
                if (!file.Exists)
                    throw new CliInputException($"{file.FullName} does not exist.");
                schemas.Add(AvroSchema.Parse(await File.ReadAllTextAsync(file.FullName, ct), file.ToString()));
            }

            var outcome = SchemaCompatibility.Check(parsedLevel, schemas[..^1], schemas[^1]);
            Print(context, result.GetValue(format)!, parsedLevel, paths, outcome);
            return outcome.IsCompatible ? ExitCodes.Ok : ExitCodes.Incompatible;
        }));
        return command;
    }

    private static void Print(CliContext context, string format, CompatibilityLevel level, FileInfo[] paths, CompatibilityResult outcome)
    {
        string Against(CompatibilityViolation v) => v.Direction == CompatibilityDirection.Backward
            ? $"{paths[^1]} cannot read data written with {paths[v.PreviousIndex]}"
            : $"{paths[v.PreviousIndex]} cannot read data written with {paths[^1]}";
        if (format == "json")
        {
            context.Output.WriteLine(JsonSerializer.Serialize(new
            {
                compatible = outcome.IsCompatible,
                level = level.ToRegistryName(),
                violations = outcome.Violations.Select(v => new { path = v.Path, rule = v.RuleName, message = v.Message, direction = v.Direction.ToString().ToLowerInvariant(), previous = paths[v.PreviousIndex].ToString() }),
            }, new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        foreach (var violation in outcome.Violations)
            context.Output.WriteLine($"{violation.Path}: {violation.RuleName}: {violation.Message} ({level.ToRegistryName()}: {Against(violation)})");
        context.Output.WriteLine(outcome.IsCompatible
            ? $"compatible under {level.ToRegistryName()}"
            : $"incompatible under {level.ToRegistryName()}: {outcome.Violations.Count} violation(s)");
    }
}
