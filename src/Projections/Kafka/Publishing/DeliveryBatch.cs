using Confluent.Kafka;

namespace EventSourcing.Projections.Kafka.Publishing;

/// <summary>
/// Messages handed to the producer one by one, as soon as each is built (so Avro encoding overlaps
/// with librdkafka's network work), and one wait for all their delivery reports at the end.
/// </summary>
public sealed class DeliveryBatch
{
    private readonly Func<OutgoingEvent, Action<DeliveryReport<string, byte[]>>, CancellationToken, Task> _produce;
    private readonly List<OutgoingEvent> _sent = [];
    private readonly List<Error?> _errors = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private int _pending = 1; // the batch itself, released by CompleteAsync

    internal DeliveryBatch(Func<OutgoingEvent, Action<DeliveryReport<string, byte[]>>, CancellationToken, Task> produce) => _produce = produce;

    public IReadOnlyList<OutgoingEvent> Sent => _sent;

    public async Task ProduceAsync(OutgoingEvent item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        int index;
        lock (_gate)
        {
            index = _sent.Count;
            _sent.Add(item);
            _errors.Add(null);
        }

        Interlocked.Increment(ref _pending);
        await _produce(item, report =>
        {
            if (report.Error.IsError)
                lock (_gate) _errors[index] = report.Error;
            Release();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for every delivery report; returns the failed messages with their errors (empty when all were acknowledged).</summary>
    public async Task<IReadOnlyList<(OutgoingEvent Event, Error Error)>> CompleteAsync(CancellationToken cancellationToken)
    {
        Release();
        await _done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
            return _sent.Select((e, i) => (e, _errors[i])).Where(x => x.Item2 is not null).Select(x => (x.e, x.Item2!)).ToList();
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
            _done.TrySetResult();
    }
}
