using System.Diagnostics;
using System.Globalization;
using EventSourcing.Projections.Rebuild;

namespace EventSourcing.Projections.Cli.Commands;

/// <summary>Prints rebuild/replay progress (percent, events, rate, ETA) at most once a second, or on a live line when interactive.</summary>
internal sealed class ProgressReporter(CliContext context, string what) : IProgress<RebuildProgress>
{
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private TimeSpan? _last;

    public void Report(RebuildProgress value)
    {
        if (_last is { } last && _since.Elapsed - last < TimeSpan.FromSeconds(1) && value.Position < value.Target)
            return;
        _last = _since.Elapsed;
        const int width = 30;
        var filled = (int)(value.Fraction * width);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{what} [{new string('#', filled)}{new string('-', width - filled)}] {value.Fraction:P0} {value.Position:N0}/{value.Target:N0} events, {value.EventsPerSecond:N0} ev/s, ETA {(value.Eta is { } eta ? eta.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "?")}");
        if (context.Interactive)
            context.Error.Write("\r" + line);
        else
            context.Error.WriteLine(line);
    }
}
