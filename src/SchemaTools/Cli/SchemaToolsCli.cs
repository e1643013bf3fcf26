using System.CommandLine;

namespace EventSourcing.SchemaTools.Cli;

/// <summary>The <c>schema-tools</c> command line: generate, check, compat, register.</summary>
public static class SchemaToolsCli
{
    public static RootCommand Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RootCommand("""
            schema-tools: Avro contracts for event types, and a CI gate with the Confluent Schema Registry's
            compatibility rules. Exit codes for every command: 0 ok/compatible, 1 incompatible, 2 bad input.
            See docs/schema-evolution.md.
            """)
        {
            GenerateCommand.Create(context),
            CheckCommand.Create(context),
            CompatCommand.Create(context),
            RegisterCommand.Create(context),
        };
    }

    /// <summary>Parses and runs; parse errors (unknown option, missing argument) exit 2 with the error on stderr.</summary>
    public static async Task<int> InvokeAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parsed = Build(context).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                await context.Error.WriteLineAsync($"schema-tools: {error.Message}");
            await context.Error.WriteLineAsync("Run 'schema-tools --help' or 'schema-tools <command> --help' for usage.");
            return ExitCodes.BadInput;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // no stack trace on the console: one line naming what failed (commands turn known bad input into exit 2 themselves)
            await context.Error.WriteLineAsync($"schema-tools: {e.GetType().Name}: {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}
