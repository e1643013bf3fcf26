using System.Globalization;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Bulk;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// Writes a batch of document changes to one index in a <c>_bulk</c> call with external versioning
/// (<c>version_type=external_gte</c>, version = global sequence of the last event applied) and handles every
/// item: 2xx written; 409 already applied (Elasticsearch holds a newer version: success); 429 and 5xx retried,
/// only those items, with exponential backoff and jitter up to <see cref="ElasticsearchOptions.MaxBulkAttempts"/>,
/// then a transient <see cref="ElasticsearchSinkException"/>; any other 4xx rejected with Elasticsearch's reason.
/// </summary>
public sealed class ElasticsearchBulkWriter(ElasticsearchClient client, ElasticsearchOptions options, TimeProvider time, Func<double> random)
{
    public ElasticsearchBulkWriter(ElasticsearchClient client, ElasticsearchOptions options)
        : this(client, options, TimeProvider.System, Random.Shared.NextDouble) { }

    public async Task<BulkWriteResult> WriteAsync<TDocument>(string index, IReadOnlyList<DocumentWrite<TDocument>> writes, CancellationToken cancellationToken)
        where TDocument : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(index);
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
            return BulkWriteResult.Empty;

        var outcomes = new BulkItemOutcome?[writes.Count];
        var pending = Enumerable.Range(0, writes.Count).ToList();
        for (var attempt = 1; ; attempt++)
        {
            var response = await client.BulkAsync(CreateRequest(index, pending.Select(i => writes[i])), cancellationToken).ConfigureAwait(false);
            var retry = new List<int>();
            string lastRetryReason = "";
            if (response.Items is not { Count: > 0 } items)
            {
                // The whole request failed (network, 429, 5xx, or refused).
                var failure = ElasticsearchSinkException.From(response, $"POST /{index}/_bulk");
                if (!failure.IsTransient)
                    throw failure;
                retry.AddRange(pending);
                lastRetryReason = failure.Message;
            }
            else
            {
                if (items.Count != pending.Count)
                    throw new ElasticsearchSinkException(
                        $"Elasticsearch bulk response for {index} has {items.Count} items for {pending.Count} operations.", isTransient: true);
                var position = 0;
                foreach (var item in items)
                {
                    var slot = pending[position++];
                    var write = writes[slot];
                    var verdict = BulkItemClassifier.Classify(item, write.IsDelete);
                    if (verdict == BulkItemVerdict.Retry)
                    {
                        retry.Add(slot);
                        lastRetryReason = $"{item.Id}: HTTP {item.Status.ToString(CultureInfo.InvariantCulture)} {item.Error?.Type}: {item.Error?.Reason}";
                        continue;
                    }

                    outcomes[slot] = verdict switch
                    {
                        BulkItemVerdict.Written => new BulkItemOutcome(write.Id, write.Version, BulkWriteStatus.Written, item.Status),
                        BulkItemVerdict.AlreadyApplied => new BulkItemOutcome(write.Id, write.Version, BulkWriteStatus.AlreadyApplied, item.Status),
                        _ => new BulkItemOutcome(write.Id, write.Version, BulkWriteStatus.Rejected, item.Status,
                            item.Error?.Type ?? "unknown", item.Error?.Reason ?? "no reason given"),
                    };
                }
            }

            if (retry.Count == 0)
                return new BulkWriteResult(outcomes.Select(o => o!).ToList(), attempt);
            if (attempt >= options.MaxBulkAttempts)
                throw new ElasticsearchSinkException(
                    $"Elasticsearch bulk write to {index}: {retry.Count.ToString(CultureInfo.InvariantCulture)} of {writes.Count.ToString(CultureInfo.InvariantCulture)} documents still failed after {attempt.ToString(CultureInfo.InvariantCulture)} attempts; last error: {lastRetryReason}",
                    isTransient: true, statusCode: 429);

            var delay = Backoff.Delay(attempt, options.InitialBackoff, options.MaxBackoff, random());
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            pending = retry;
        }
    }

    private BulkRequest CreateRequest<TDocument>(string index, IEnumerable<DocumentWrite<TDocument>> writes)
        where TDocument : class
    {
        var operations = new BulkOperationsCollection();
        foreach (var write in writes)
        {
            BulkOperation operation = write.Document is null
                ? new BulkDeleteOperation(write.Id)
                : new BulkIndexOperation<TDocument>(write.Document) { Id = write.Id };
            operation.Version = write.Version;
            operation.VersionType = VersionType.ExternalGte;
            operations.Add(operation);
        }

        return new BulkRequest(index) { Operations = operations, Refresh = ToRefresh(options.Refresh) };
    }

    internal static Refresh ToRefresh(RefreshPolicy policy) => policy switch
    {
        RefreshPolicy.True => Refresh.True,
        RefreshPolicy.WaitFor => Refresh.WaitFor,
        _ => Refresh.False,
    };
}
