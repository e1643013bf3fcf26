using System.CommandLine;
using System.Globalization;
using EventSourcing.Projections.Status;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace EventSourcing.Projections.Cli.Commands;

internal static class StatusCommand
{
    public static Command Build(CliContext context)
    {
        var json = CommandTree.Json();
        var name = CommandTree.ProjectionName("Only this projection (default: all).");
        name.Arity = ArgumentArity.ZeroOrOne;
        var command = new Command("status",
            "Show each projection's state (running, paused, rebuild-needed, not-started), live and code version, checkpoint, " +
            "high-water mark, lag in events and seconds, and dead letters. A growing lag or any dead letter needs attention.") { name, json };
        command.SetAction(async (parse, ct) =>
        {
            var rows = await context.Services.GetRequiredService<StatusService>().GetAsync(parse.GetValue(name), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await context.WriteJsonAsync(rows).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("name", "state", "live", "code", "checkpoint", "high-water", "lag events", "lag s", "dead letters");
            foreach (var r in rows)
            {
                table.AddRow(Markup.Escape(r.Name), r.State, r.LiveVersion?.ToString(CultureInfo.InvariantCulture) ?? "-", Str(r.CodeVersion), Str(r.Checkpoint),
                    Str(r.HighWaterMark), Str(r.LagEvents), r.LagSeconds.ToString("0.0", CultureInfo.InvariantCulture), Str(r.DeadLetters));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);
}
