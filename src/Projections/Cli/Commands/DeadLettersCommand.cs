using System.CommandLine;
using System.Globalization;
using EventSourcing.Projections.DeadLetters;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace EventSourcing.Projections.Cli.Commands;

internal static class DeadLettersCommand
{
    public static Command Build(CliContext context)
    {
        var command = new Command("dead-letters",
            "Events a projection could not apply (its code threw, or the sink rejected the document). " +
            "Fix the cause, deploy, then 'retry'; or 'discard' what must never be applied.");
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Act(context, retry: true));
        command.Subcommands.Add(Act(context, retry: false));
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = CommandTree.Json();
        var name = CommandTree.ProjectionName("Only this projection (default: all).");
        name.Arity = ArgumentArity.ZeroOrOne;
        var command = new Command("list", "List dead letters: projection, event sequence, stream, event type, error and time.") { name, json };
        command.SetAction(async (parse, ct) =>
        {
            var letters = await context.Services.GetRequiredService<DeadLetterService>().ListAsync(parse.GetValue(name), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await context.WriteJsonAsync(letters).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("projection", "sequence", "stream", "event", "failed at", "error");
            foreach (var d in letters)
            {
                table.AddRow(Markup.Escape(d.Projection), d.Sequence.ToString(CultureInfo.InvariantCulture), Markup.Escape(d.StreamKey),
                    Markup.Escape(d.EventType), d.FailedAt.ToString("u", CultureInfo.InvariantCulture), Markup.Escape(d.Error));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Act(CliContext context, bool retry)
    {
        var json = CommandTree.Json();
        var name = CommandTree.ProjectionName("The projection whose dead letters to " + (retry ? "retry." : "discard."));
        var sequence = new Option<long?>("--sequence") { Description = "Only the dead letter of this event sequence (default: all of the projection)." };
        var command = new Command(retry ? "retry" : "discard", retry
            ? "Apply dead-lettered events again with the current code (upcasters apply); each that succeeds leaves the store. Exit 1 if any fails again."
            : "Drop dead letters without applying them.") { name, sequence, json };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(sequence) is <= 0 and var bad)
                throw new ArgumentException($"--sequence {bad} is not an event sequence: sequences start at 1");
            var service = context.Services.GetRequiredService<DeadLetterService>();
            var projection = parse.GetValue(name)!;
            if (!retry)
            {
                var discarded = await service.DiscardAsync(projection, parse.GetValue(sequence), ct).ConfigureAwait(false);
                await (parse.GetValue(json) ? context.WriteJsonAsync(new { discarded }) : context.Output.WriteLineAsync($"{discarded} dead letter(s) discarded")).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var result = await service.RetryAsync(projection, parse.GetValue(sequence), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
                await context.WriteJsonAsync(result).ConfigureAwait(false);
            else
            {
                await context.Output.WriteLineAsync($"{result.Succeeded} retried, {result.Failed.Count} failed again").ConfigureAwait(false);
                foreach (var f in result.Failed)
                    await context.Output.WriteLineAsync($"  #{f.Sequence}: {f.Error}").ConfigureAwait(false);
            }

            return result.Failed.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
