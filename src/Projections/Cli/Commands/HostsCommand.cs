using System.CommandLine;
using System.Globalization;
using EventSourcing.Projections.Status;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace EventSourcing.Projections.Cli.Commands;

internal static class HostsCommand
{
    public static Command Build(CliContext context)
    {
        var json = CommandTree.Json();
        var command = new Command("hosts",
            "List the projection hosts that hold a host lease (ProjectionsOptions.HostLease): the Application Name their PostgreSQL " +
            "sessions carry, machine, process id, start, and seconds since the last renewal. A host silent for longer than the " +
            "lease is 'expired': the next live peer ends its sessions (freeing its locks) and deletes the row. Empty when no host " +
            "runs with a lease.") { json };
        command.SetAction(async (parse, ct) =>
        {
            var rows = await context.Services.GetRequiredService<HostLeases>().GetAsync(ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await context.WriteJsonAsync(rows).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("application name", "machine", "process", "started", "silent s", "lease");
            foreach (var r in rows)
            {
                table.AddRow(Markup.Escape(r.ApplicationName), Markup.Escape(r.Machine), r.ProcessId.ToString(CultureInfo.InvariantCulture),
                    r.StartedAt.ToString("u", CultureInfo.InvariantCulture), r.SilentSeconds.ToString("0.0", CultureInfo.InvariantCulture),
                    r.Expired switch { true => "expired", false => "live", null => "-" });
            }

            var console = context.Console;
            // redirected output gets one line per host instead of cells wrapped at 80 columns
            if (!context.Interactive)
                console.Profile.Width = Math.Max(console.Profile.Width, 240);
            console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
