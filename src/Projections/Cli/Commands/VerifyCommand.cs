using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EventSourcing.Projections.Verification;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace EventSourcing.Projections.Cli.Commands;

internal static class VerifyCommand
{
    public static Command Build(CliContext context)
    {
        var name = CommandTree.ProjectionName("The projection whose read model to verify.");
        var show = new Option<int>("--show")
        {
            Description = "How many differing documents to print (all are counted).",
            DefaultValueFactory = _ => 10,
        };
        var pageSize = new Option<int>("--page-size")
        {
            Description = "Events per page of the fold and documents per page read from the sink.",
            DefaultValueFactory = _ => 1000,
        };
        var json = CommandTree.Json();
        var command = new Command("verify",
            "Compare the live read model with a fresh fold of the event log through the projection's current code, and " +
            "print the counts (compared, missing, extra, different) and the first differing documents with the field that " +
            "differs. Read-only and safe while the daemon runs: it folds the log up to the checkpoint read at the start and " +
            "skips documents changed after it. Exit 0 when equal, 1 when they differ (or the check failed), 2 on bad input. " +
            "On a difference: 'dead-letters list <name>' shows events the daemon could not apply (fix the cause, then " +
            "'dead-letters retry <name>'); otherwise 'rebuild <name>' rebuilds the read model from the log without downtime " +
            "(also the fix after a handler changed). Run verify again afterwards. The fold holds one document per key in memory. Progress goes to stderr.") { name, show, pageSize, json };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(show) < 0)
                throw new ArgumentException($"--show must be 0 or more, was {parse.GetValue(show)}");
            if (parse.GetValue(pageSize) < 1)
                throw new ArgumentException($"--page-size must be 1 or more, was {parse.GetValue(pageSize)}");
            var verifier = ActivatorUtilities.CreateInstance<ProjectionVerifier>(context.Services);
            var report = await verifier.VerifyAsync(parse.GetValue(name)!, parse.GetValue(show), parse.GetValue(pageSize),
                new Reporter(context), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
                await context.WriteJsonAsync(report).ConfigureAwait(false);
            else
                await WriteAsync(context, report).ConfigureAwait(false);
            return report.Equal ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static async Task WriteAsync(CliContext context, VerificationReport r)
    {
        await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{r.Projection} version {r.LiveVersion} at checkpoint #{r.Checkpoint}: {r.Compared} compared, {r.Missing} missing, {r.Extra} extra, " +
            $"{r.Different} different; {r.ChangedSinceCheckpoint} changed since the checkpoint (skipped); {r.EventsFolded} events folded, " +
            $"{r.EventsFailed} rejected by the projection's code; {r.DeadLetters} dead letter(s)")).ConfigureAwait(false);
        if (r.Equal)
        {
            await context.Output.WriteLineAsync("equal: the read model matches a fresh fold of the log").ConfigureAwait(false);
            return;
        }

        await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"DIFFERENT: {r.Missing + r.Extra + r.Different} document(s) differ from a fresh fold of the log; the first {r.Differences.Count}:")).ConfigureAwait(false);
        var table = new Table().AddColumns("key", "kind", "field", "expected (fold)", "actual (read model)", "version fold/read model");
        foreach (var d in r.Differences)
        {
            table.AddRow(Markup.Escape(d.Key), d.Kind, Markup.Escape(d.Field ?? "-"), Markup.Escape(d.Expected ?? "-"), Markup.Escape(d.Actual ?? "-"),
                $"{Str(d.ExpectedVersion)}/{Str(d.ActualVersion)}");
        }

        var console = context.Console;
        if (!context.Interactive)
            console.Profile.Width = Math.Max(console.Profile.Width, 240);
        console.Write(table);
    }

    private static string Str(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    /// <summary>Prints each phase's progress (percent, count, rate) at most once a second, or on a live line when interactive.</summary>
    private sealed class Reporter(CliContext context) : IProgress<VerificationProgress>
    {
        private readonly Stopwatch _since = Stopwatch.StartNew();
        private TimeSpan? _last;
        private string? _phase;

        public void Report(VerificationProgress value)
        {
            var done = value.Position >= value.Target;
            if (_phase == value.Phase && _last is { } last && _since.Elapsed - last < TimeSpan.FromSeconds(1) && !done)
                return;
            if (context.Interactive && _phase is not null && _phase != value.Phase)
                context.Error.WriteLine();
            (_phase, _last) = (value.Phase, _since.Elapsed);
            const int width = 30;
            var fraction = value.Target == 0 ? 1 : Math.Min(1, (double)value.Position / value.Target);
            var filled = (int)(fraction * width);
            var unit = value.Phase == "fold" ? "sequence" : "documents";
            var line = string.Create(CultureInfo.InvariantCulture,
                $"verify {value.Phase} [{new string('#', filled)}{new string('-', width - filled)}] {fraction:P0} {value.Position:N0}/{value.Target:N0} {unit}, {value.PerSecond:N0}/s");
            if (context.Interactive)
                context.Error.Write("\r" + line);
            else
                context.Error.WriteLine(line);
        }
    }
}
