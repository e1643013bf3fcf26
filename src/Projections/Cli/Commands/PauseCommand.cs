using System.CommandLine;
using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcing.Projections.Cli.Commands;

internal static class PauseCommand
{
    public static Command Build(CliContext context, bool pause)
    {
        var name = CommandTree.ProjectionName(pause ? "The projection to pause." : "The projection to resume.");
        var command = new Command(pause ? "pause" : "resume", pause
            ? "Pause a projection on every host: its daemon stops applying batches (its checkpoint stays) until 'resume'. Readers keep reading."
            : "Resume a paused projection: every host's daemon continues from the checkpoint within a second.") { name };
        command.SetAction(async (parse, ct) =>
        {
            var projection = context.Services.GetRequiredService<ProjectionCatalog>().Get(parse.GetValue(name)!);
            var runtime = context.Services.GetRequiredService<ProjectionRuntime>();
            await runtime.EnsureReadyAsync(ct).ConfigureAwait(false);
            await runtime.Store.SetPausedAsync(projection.Name, pause, ct).ConfigureAwait(false);
            await context.Output.WriteLineAsync($"{projection.Name} {(pause ? "paused" : "resumed")}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
