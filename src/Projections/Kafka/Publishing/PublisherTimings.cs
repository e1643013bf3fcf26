using System.Diagnostics;

namespace EventSourcing.Projections.Kafka.Publishing;

/// <summary>
/// Where the publisher's time goes, summed over its life: waiting for the daemon's next page (Marten's
/// fetch and deserialization, and storing the previous checkpoint), building the Avro records,
/// serializing them, handing them to librdkafka, and waiting for the delivery reports. Cheap
/// (<see cref="Stopwatch.GetTimestamp"/>), for benchmarks and diagnostics.
/// </summary>
public sealed class PublisherTimings
{
    private long _betweenPages;
    private long _build;
    private long _serialize;
    private long _encodeWait;
    private long _produce;
    private long _delivery;

    public TimeSpan BetweenPages => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _betweenPages));

    /// <summary>Building the headers and Avro records, summed over the encoding workers.</summary>
    public TimeSpan Build => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _build));

    /// <summary>Confluent's serializer, summed over the encoding workers.</summary>
    public TimeSpan Serialize => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _serialize));

    /// <summary>Time the producing loop waited for the next encoded chunk.</summary>
    public TimeSpan EncodeWait => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _encodeWait));

    public TimeSpan Produce => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _produce));

    public TimeSpan Delivery => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _delivery));

    internal void AddBetweenPages(long ticks) => Interlocked.Add(ref _betweenPages, ticks);

    internal void AddBuild(long ticks) => Interlocked.Add(ref _build, ticks);

    internal void AddSerialize(long ticks) => Interlocked.Add(ref _serialize, ticks);

    internal void AddEncodeWait(long ticks) => Interlocked.Add(ref _encodeWait, ticks);

    internal void AddProduce(long ticks) => Interlocked.Add(ref _produce, ticks);

    internal void AddDelivery(long ticks) => Interlocked.Add(ref _delivery, ticks);

    public override string ToString() =>
        $"between pages {BetweenPages.TotalMilliseconds:0} ms, build {Build.TotalMilliseconds:0} ms, serialize {Serialize.TotalMilliseconds:0} ms (summed over workers), " +
        $"waiting for encoded chunks {EncodeWait.TotalMilliseconds:0} ms, produce {Produce.TotalMilliseconds:0} ms, delivery wait {Delivery.TotalMilliseconds:0} ms";
}
