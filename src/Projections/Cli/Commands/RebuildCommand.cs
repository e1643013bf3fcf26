using System.CommandLine;
using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Rebuild;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcing.Projections.Cli.Commands;

internal static class RebuildCommand
{
    public static Command Build(CliContext context)
    {
        var name = CommandTree.ProjectionName("The projection to rebuild (or use --all).");
        name.Arity = ArgumentArity.ZeroOrOne;
        var all = new Option<bool>("--all") { Description = "Rebuild every registered projection in one pass over the log." };
        var wait = new Option<bool>("--wait") { Description = "Block until the running daemon swapped the new version in (needs a running daemon)." };
        var json = CommandTree.Json();
        var command = new Command("rebuild",
            "Build version N+1 of a read model from the first event into a new table or index while version N keeps serving, " +
            "then let the running daemon swap the view or alias atomically when N+1 has caught up. The pass reads up to the daemon's " +
            "high-water mark, so it needs a running daemon; nothing is appended to the event log. N is kept for rollback " +
            "(ProjectionsOptions.RetireAfter), then dropped. Progress (rate, ETA) goes to stderr. 'projections status' shows " +
            "swap-pending until the swap.") { name, all, wait, json };
        command.SetAction(async (parse, ct) =>
        {
            var catalog = context.Services.GetRequiredService<ProjectionCatalog>();
            var chosen = parse.GetValue(name);
            if (parse.GetValue(all) == (chosen is not null))
                throw new ArgumentException("give either a projection name or --all");
            var names = chosen is null ? catalog.All.Select(p => p.Name).ToList() : [catalog.Get(chosen).Name];
            var service = context.Services.GetRequiredService<RebuildService>();
            var results = await service.RebuildAsync(names, new ProgressReporter(context, "rebuild"), ct).ConfigureAwait(false);
            if (parse.GetValue(wait))
            {
                foreach (var r in results)
                    await service.WaitForSwapAsync(r, ct).ConfigureAwait(false);
            }

            if (parse.GetValue(json))
                await context.WriteJsonAsync(results.Select(r => new { r.Projection, r.Version, r.BuiltThrough, swapped = parse.GetValue(wait) })).ConfigureAwait(false);
            else
            {
                foreach (var r in results)
                {
                    await context.Output.WriteLineAsync(parse.GetValue(wait)
                        ? $"{r.Projection}: version {r.Version} is live"
                        : $"{r.Projection}: version {r.Version} built through #{r.BuiltThrough}; the running daemon swaps it in at its next batch (projections status: swap-pending)").ConfigureAwait(false);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
