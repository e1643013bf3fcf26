using System.CommandLine;
using System.Globalization;
using EventSourcing.Projections.Rebuild;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcing.Projections.Cli.Commands;

internal static class ReplayCommand
{
    public static Command Build(CliContext context)
    {
        var name = CommandTree.ProjectionName("The projection to replay.");
        var from = new Option<string>("--from")
        {
            Description = "Where to start: a global sequence number (e.g. 12000) or an ISO-8601 time (e.g. 2026-11-26T04:00:00Z).",
            Required = true,
        };
        var stream = new Option<string?>("--stream") { Description = "Only the events of this stream id." };
        var json = CommandTree.Json();
        var command = new Command("replay",
            "Re-apply events from a sequence or time (optionally of one stream) to the live documents with the current code. " +
            "Use it after fixing a handler that sets values; for counters and other non-idempotent handlers, rebuild instead.") { name, from, stream, json };
        command.SetAction(async (parse, ct) =>
        {
            var start = Parse(parse.GetValue(from)!);
            var streamId = StreamId(parse.GetValue(stream));
            var replayed = await context.Services.GetRequiredService<ReplayService>()
                .ReplayAsync(parse.GetValue(name)!, start with { Stream = streamId }, new ProgressReporter(context, "replay"), ct).ConfigureAwait(false);
            await (parse.GetValue(json) ? context.WriteJsonAsync(new { replayed }) : context.Output.WriteLineAsync($"{replayed} event(s) replayed")).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Streams are identified by GUIDs: anything else would match no event and replay nothing, silently.</summary>
    private static string? StreamId(string? value) =>
        value is null ? null
        : Guid.TryParse(value, out var id) && id != Guid.Empty ? id.ToString()
        : throw new ArgumentException($"--stream '{value}' is not a stream id: give the stream's GUID, e.g. 3f2b8c1e-5d4a-4e7b-9c1d-2a6f0e8b7c55");

    private static ReplayFrom Parse(string value)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0)
            return new ReplayFrom(sequence);
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return new ReplayFrom(Time: time);
        throw new ArgumentException($"--from '{value}' is neither a positive sequence number nor an ISO-8601 time");
    }
}
