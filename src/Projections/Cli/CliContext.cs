using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace EventSourcing.Projections.Cli;

/// <summary>What a command runs with: the host's services (never started: no daemon runs in the CLI), output, JSON mode.</summary>
internal sealed class CliContext(Func<IHost> host, TextWriter output, TextWriter error)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private IHost? _host;

    public IServiceProvider Services => (_host ??= host()).Services;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Interactive { get; init; }

    public IAnsiConsole Console => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Output),
        Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
    });

    public Task WriteJsonAsync(object value) => Output.WriteLineAsync(JsonSerializer.Serialize(value, Json));

    public void Dispose() => _host?.Dispose();
}
