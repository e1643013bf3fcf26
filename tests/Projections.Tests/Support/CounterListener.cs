using System.Diagnostics.Metrics;
using EventSourcing.Projections.Observability;

namespace EventSourcing.Projections.Tests.Support;

/// <summary>Sums one counter of <see cref="ProjectionTelemetry"/> for one projection, as recorded by any host of this process.</summary>
public sealed class CounterListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private int _count;

    public CounterListener(string instrument, string projection)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published.Meter.Name == ProjectionTelemetry.Name && published.Name == instrument)
                listener.EnableMeasurementEvents(published);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "projection", Value: string p } && p == projection)
                    Interlocked.Add(ref _count, (int)value);
            }
        });
        _listener.Start();
    }

    public int Count => Volatile.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
