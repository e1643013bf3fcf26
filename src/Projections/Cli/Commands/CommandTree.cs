using System.CommandLine;

namespace EventSourcing.Projections.Cli.Commands;

internal static class CommandTree
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(
            "Operate the projection daemon: see each read model's state and lag, rebuild with zero downtime, " +
            "replay, verify a read model against the log, handle dead letters, pause and resume. Exit codes: 0 ok, 1 failed, 2 bad input.");
        root.Subcommands.Add(ListCommand.Build(context));
        root.Subcommands.Add(StatusCommand.Build(context));
        root.Subcommands.Add(HostsCommand.Build(context));
        root.Subcommands.Add(RebuildCommand.Build(context));
        root.Subcommands.Add(ReplayCommand.Build(context));
        root.Subcommands.Add(VerifyCommand.Build(context));
        root.Subcommands.Add(DeadLettersCommand.Build(context));
        root.Subcommands.Add(PauseCommand.Build(context, pause: true));
        root.Subcommands.Add(PauseCommand.Build(context, pause: false));
        return root;
    }

    public static Option<bool> Json() => new("--json") { Description = "Write machine-readable JSON to stdout instead of a table." };

    public static Argument<string> ProjectionName(string description) => new("name") { Description = description };
}
