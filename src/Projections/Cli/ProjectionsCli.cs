using System.CommandLine;
using EventSourcing.Projections.Cli.Commands;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventSourcing.Projections.Cli;

/// <summary>
/// The <c>projections</c> CLI as a library entry point. A host exposes it with its own registrations
/// (the same Marten and <c>AddProjections</c> calls as the daemon), for example from its <c>Main</c>:
/// <code>
/// if (args is ["projections", .. var rest])
///     return await ProjectionsCli.RunAsync(rest, builder => builder.Services.AddOrderServices(...), ct);
/// </code>
/// The host is built but never started, so running a command never starts a daemon.
/// </summary>
public static class ProjectionsCli
{
    public static Task<int> RunAsync(string[] args, Action<HostApplicationBuilder>? configure, CancellationToken cancellationToken) =>
        RunAsync(args, configure, Console.Out, Console.Error, !Console.IsOutputRedirected, cancellationToken);

    public static async Task<int> RunAsync(
        string[] args, Action<HostApplicationBuilder>? configure, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(() => BuildHost(configure), output, error) { Interactive = interactive };
        try
        {
            var root = CommandTree.Build(context);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var e in parse.Errors)
                    await error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
                await error.WriteLineAsync("run 'projections --help' for usage").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await error.WriteLineAsync($"failed: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        finally
        {
            context.Dispose();
        }
    }

    private static IHost BuildHost(Action<HostApplicationBuilder>? configure)
    {
        if (configure is null)
            throw new ArgumentException(
                "no projections are registered: run the CLI through your host, which calls ProjectionsCli.RunAsync(args, builder => ...) with its registrations");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        try
        {
            configure(builder);
            return builder.Build();
        }
        catch (Exception e) when (e is not ArgumentException and not OperationCanceledException)
        {
            // the host's settings (connection string, schema names) are the CLI's input too: a bad one is exit 2
            throw new ArgumentException("invalid settings: " + e.Message, e);
        }
    }
}
