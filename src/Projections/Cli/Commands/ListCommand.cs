using System.CommandLine;
using EventSourcing.Projections.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace EventSourcing.Projections.Cli.Commands;

internal static class ListCommand
{
    public static Command Build(CliContext context)
    {
        var json = CommandTree.Json();
        var command = new Command("list", "List the registered projections: name, code version, document type and handled event types.") { json };
        command.SetAction(async (parse, _) =>
        {
            var rows = context.Services.GetRequiredService<ProjectionCatalog>().All
                .Select(p => new { p.Name, p.Version, Document = p.DocumentType.Name, Events = p.EventTypes.Select(t => t.Name).Order(StringComparer.Ordinal).ToList() })
                .ToList();
            if (parse.GetValue(json))
            {
                await context.WriteJsonAsync(rows).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("name", "version", "document", "events");
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.Name), r.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(r.Document), Markup.Escape(string.Join(", ", r.Events)));
            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
