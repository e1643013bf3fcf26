using Confluent.Kafka;

namespace EventSourcing.Projections.Kafka.Publishing;

/// <summary>
/// Messages handed to librdkafka one by one with the synchronous <c>Produce</c> (no task per message),
/// in the order they are given, and one wait for all their delivery reports at the end. One caller
/// produces into a batch at a time; delivery reports arrive on librdkafka's thread.
/// </summary>
public sealed class DeliveryBatch
{
    private static readonly TimeSpan QueueFullPause = TimeSpan.FromMilliseconds(5);

    private readonly Func<OutgoingEvent, Action<DeliveryReport<string, byte[]>>, bool> _tryProduce;
    private readonly List<OutgoingEvent> _sent = [];
    private readonly List<(int Index, Error Error)> _failed = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pending = 1; // the batch itself, released by CompleteAsync

    internal DeliveryBatch(Func<OutgoingEvent, Action<DeliveryReport<string, byte[]>>, bool> tryProduce) => _tryProduce = tryProduce;

    /// <summary>The messages produced so far, in order.</summary>
    public IReadOnlyList<OutgoingEvent> Sent => _sent;

    /// <summary>Hands one message to librdkafka; false (and nothing produced) when its local queue is full.</summary>
    public bool TryProduce(OutgoingEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var index = _sent.Count;
        Interlocked.Increment(ref _pending);
        if (!_tryProduce(item, report => OnDelivery(index, report)))
        {
            Interlocked.Decrement(ref _pending);
            return false;
        }

        _sent.Add(item);
        return true;
    }

    /// <summary>Produces one message, pausing while librdkafka's local queue is full (delivery reports drain it).</summary>
    public async ValueTask ProduceAsync(OutgoingEvent item, CancellationToken cancellationToken)
    {
        while (!TryProduce(item))
            await Task.Delay(QueueFullPause, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for every delivery report; returns the failed messages with their errors, in produce order (empty when all were acknowledged).</summary>
    public async Task<IReadOnlyList<(OutgoingEvent Event, Error Error)>> CompleteAsync(CancellationToken cancellationToken)
    {
        Release();
        await _done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_failed)
            return _failed.OrderBy(f => f.Index).Select(f => (_sent[f.Index], f.Error)).ToList();
    }

    private void OnDelivery(int index, DeliveryReport<string, byte[]> report)
    {
        if (report.Error.IsError)
            lock (_failed) _failed.Add((index, report.Error));
        Release();
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
            _done.TrySetResult();
    }
}
