using System.Diagnostics;
using Confluent.Kafka;
using EventSourcing.Projections.Kafka.Options;
using Microsoft.Extensions.Logging;

namespace EventSourcing.Projections.Kafka.Consuming;

/// <summary>
/// Runs a projection from Kafka topics in a consumer group: collects a batch, decodes it (writer
/// schema resolved to the reader's), drops duplicates per stream, hands it to the handler, and
/// commits the offsets only after the handler returned. A failed batch is delivered again from its
/// first offsets after a pause. On a rebalance, messages of revoked partitions that were read but not
/// handled are dropped (their new owner starts from the committed offset).
/// </summary>
public sealed class KafkaProjectionRunner
{
    private readonly KafkaConsumerOptions _options;
    private readonly AvroEventDecoder _decoder;
    private readonly IKafkaEventHandler _handler;
    private readonly ILogger _logger;
    private readonly StreamPositions _positions = new();
    private readonly List<ConsumeResult<string, byte[]>> _pending = [];

    public KafkaProjectionRunner(KafkaConsumerOptions options, AvroEventDecoder decoder, IKafkaEventHandler handler, ILogger<KafkaProjectionRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Validate();
        _decoder = decoder;
        _handler = handler;
        _logger = logger;
    }

    /// <summary>Duplicates dropped so far (re-deliveries of events already applied).</summary>
    public long DroppedDuplicates => _positions.DroppedDuplicates;

    /// <summary>Events handed to the handler and committed so far.</summary>
    public long Applied { get; private set; }

    /// <summary>Consumes until <paramref name="cancellationToken"/> is cancelled, on a thread of its own (Kafka's consume call blocks).</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => LoopAsync(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(_options.CreateConfig())
            .SetPartitionsAssignedHandler((_, partitions) => _logger.LogInformation("Kafka projection {Group} assigned {Partitions}", _options.GroupId, string.Join(", ", partitions)))
            .SetPartitionsRevokedHandler((_, partitions) => DropRevoked(partitions.Select(p => p.TopicPartition).ToHashSet()))
            .SetPartitionsLostHandler((_, partitions) => DropRevoked(partitions.Select(p => p.TopicPartition).ToHashSet()))
            .SetErrorHandler((_, error) => _logger.LogWarning("Kafka consumer error {Code}: {Reason}", error.Code, error.Reason))
            .Build();
        consumer.Subscribe(_options.Topics);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Collect(consumer, cancellationToken);
                if (_pending.Count == 0)
                    continue;
                var batch = _pending.ToList();
                _pending.Clear();
                await HandleAsync(consumer, batch, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping: offsets of handled batches are committed; the rest is delivered again to the next owner
        }
        finally
        {
            consumer.Close();
        }
    }

    private void Collect(IConsumer<string, byte[]> consumer, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (_pending.Count < _options.BatchSize && clock.Elapsed < _options.MaxBatchWait)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = consumer.Consume(_options.MaxBatchWait - clock.Elapsed);
            if (result is null)
                break;
            if (!result.IsPartitionEOF)
                _pending.Add(result);
        }
    }

    private async Task HandleAsync(IConsumer<string, byte[]> consumer, List<ConsumeResult<string, byte[]>> batch, CancellationToken cancellationToken)
    {
        try
        {
            var decoded = new List<KafkaEvent>(batch.Count);
            foreach (var message in batch)
                decoded.Add(await _decoder.DecodeAsync(message, cancellationToken).ConfigureAwait(false));
            var (fresh, positions, duplicates) = _positions.Filter(decoded);
            if (fresh.Count > 0)
                await _handler.HandleAsync(fresh, cancellationToken).ConfigureAwait(false);
            consumer.Commit(batch
                .GroupBy(m => m.TopicPartition)
                .Select(g => new TopicPartitionOffset(g.Key, g.Max(m => m.Offset.Value) + 1))
                .ToList());
            _positions.Accept(positions, duplicates);
            Applied += fresh.Count;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogError(e, "Kafka projection {Group} failed a batch of {Count}; it is delivered again after {Backoff}", _options.GroupId, batch.Count, _options.RetryBackoff);
            var assigned = consumer.Assignment.ToHashSet();
            foreach (var first in batch.GroupBy(m => m.TopicPartition).Where(g => assigned.Contains(g.Key)))
                consumer.Seek(new TopicPartitionOffset(first.Key, first.Min(m => m.Offset.Value)));
            if (_options.RetryBackoff > TimeSpan.Zero)
            {
                using var pause = new PeriodicTimer(_options.RetryBackoff);
                await pause.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void DropRevoked(HashSet<TopicPartition> revoked)
    {
        var dropped = _pending.RemoveAll(m => revoked.Contains(m.TopicPartition));
        _logger.LogInformation("Kafka projection {Group} lost {Partitions}; {Dropped} unhandled messages left to their next owner",
            _options.GroupId, string.Join(", ", revoked), dropped);
    }
}
