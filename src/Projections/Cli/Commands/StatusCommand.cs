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
            "Show each projection's state, live and code version, checkpoint, high-water mark, lag in events and seconds, dead " +
            "letters, and the hand-over of the last rebuild. States: running; paused (projections resume); not-started; " +
            "rebuild-needed (the code's version is above the live one: run projections rebuild); swap-pending (a rebuilt version " +
            "is complete and waits for the daemon to swap it in: the 'swap' column says which and for how long; it stays if no " +
            "daemon runs); handover-dead-letters (the live version received dead letters when it was swapped in: list them with " +
            "projections dead-letters list and compare the read model with projections verify). A growing lag or any dead letter needs attention. " +
            "Under Wolverine distribution also the node that runs each read model (number and description, 'none' when it runs " +
            "nowhere) and the seconds since that node's last heartbeat: a node that stopped heartbeating has died and keeps its " +
            "read models until Wolverine's StaleNodeTimeout ejects it.") { name, json };
        command.SetAction(async (parse, ct) =>
        {
            var rows = await context.Services.GetRequiredService<StatusService>().GetAsync(parse.GetValue(name), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await context.WriteJsonAsync(rows).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var placed = rows.Any(r => r.Node is not null);
            var table = new Table().AddColumns("name", "state", "live", "code", "checkpoint", "high-water", "lag events", "lag s", "dead letters", "swap");
            if (placed)
                table.AddColumns("node", "heartbeat s");
            foreach (var r in rows)
            {
                string[] cells = [Markup.Escape(r.Name), r.StalledSeconds is { } stalled ? $"stalled {stalled.ToString("0.0", CultureInfo.InvariantCulture)} s" : r.State, r.LiveVersion?.ToString(CultureInfo.InvariantCulture) ?? "-", Str(r.CodeVersion), Str(r.Checkpoint),
                    Str(r.HighWaterMark), Str(r.LagEvents), r.LagSeconds.ToString("0.0", CultureInfo.InvariantCulture), Str(r.DeadLetters), SwapCell(r)];
                table.AddRow(placed ? [.. cells, .. NodeCells(r.Node)] : cells);
            }

            var console = context.Console;
            // redirected output (scripts, grep, logs) gets one line per read model instead of cells wrapped at 80 columns
            if (!context.Interactive)
                console.Profile.Width = Math.Max(console.Profile.Width, 240);
            console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>2 (build-7)</c> and <c>0.4</c>, or <c>none</c> and <c>-</c> for a read model that runs nowhere.</summary>
    private static string[] NodeCells(ProjectionNode? node) => node?.Number is { } number
        ? [Markup.Escape($"{Str(number)} ({node.Description})"), node.HeartbeatAgeSeconds?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"]
        : ["none", "-"];

    /// <summary><c>v3 waiting 12.0 s</c>, <c>v2 at #5120 (2 dead letters)</c>, or <c>-</c>.</summary>
    private static string SwapCell(ProjectionStatus r) =>
        r.PendingVersion is { } pending
            ? $"v{Str(pending)} waiting {r.PendingSeconds?.ToString("0.0", CultureInfo.InvariantCulture)} s"
            : r.LastSwap is { } swap
                ? $"v{Str(swap.Version)} at #{Str(swap.AtSequence)}" + (swap.DeadLetters > 0 ? $" ({Str(swap.DeadLetters)} dead letters)" : "")
                : "-";

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);
}
