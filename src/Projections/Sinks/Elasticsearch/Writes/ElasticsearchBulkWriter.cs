using System.Globalization;
using System.Text.Json;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Elastic.Transport.Extensions;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// Writes a batch of document changes to one index in a <c>_bulk</c> call with external versioning
/// (<c>version_type=external_gte</c>, version = global sequence of the last event applied) and handles every
/// item: 2xx written; 409 already applied (Elasticsearch holds a newer version: success); 429 and 5xx retried,
/// only those items, with exponential backoff and jitter up to <see cref="ElasticsearchOptions.MaxBulkAttempts"/>,
/// then a transient <see cref="ElasticsearchSinkException"/>; any other 4xx rejected with Elasticsearch's reason.
/// </summary>
/// <remarks>
/// The request goes through the official client's transport (node pool, authentication, TLS, product check),
/// but the NDJSON body and the per-item results are written and read here (see docs/elasticsearch.md,
/// "Performance"): the body is written with <see cref="System.Text.Json.Utf8JsonWriter"/> straight into a pooled
/// buffer that is posted as is; the response is asked for with <c>filter_path=errors,items.*.error,items.*.status</c>
/// (as Logstash's Elasticsearch output does) and, when its <c>errors</c> flag is false, not read item by item.
/// Snapshot tests pin the body to what the typed client sends.
/// </remarks>
public sealed class ElasticsearchBulkWriter(ElasticsearchClient client, ElasticsearchOptions options, TimeProvider time, Func<double> random)
{
    /// <summary>The part of a bulk response the writer reads; everything else stays on the server.</summary>
    internal const string ResponseFilter = "filter_path=errors,items.*.error,items.*.status";

    // Bound once per writer: a RequestConfiguration passed per call is re-bound by the transport, which allocates
    // a finalizable ConditionalWeakTable on every request (Elastic.Transport 1.x) and kept the finalizer thread busy.
    // The audit trail only feeds the transport's debug information, which the sink never shows (it may hold secrets).
    private readonly BoundConfiguration _ndJson = new(client.Transport.Configuration,
        new RequestConfiguration { ContentType = "application/x-ndjson", Accept = "application/json", DisableAuditTrail = true });

    private readonly BulkBody _body = new(client.SourceSerializer.TryGetJsonSerializerOptions(out var json)
        ? json
        : new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private readonly string _refresh = RefreshParameter(options.Refresh);
    private CachedPath? _lastPath;
    private int _bodySizeHint = 16 * 1024;

    public ElasticsearchBulkWriter(ElasticsearchClient client, ElasticsearchOptions options)
        : this(client, options, TimeProvider.System, Random.Shared.NextDouble) { }

    public async Task<BulkWriteResult> WriteAsync<TDocument>(string index, IReadOnlyList<DocumentWrite<TDocument>> writes, CancellationToken cancellationToken)
        where TDocument : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(index);
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
            return BulkWriteResult.Empty;

        var (outcomes, attempts) = await WriteAsync(index, new DocumentWrites<TDocument>(writes), cancellationToken).ConfigureAwait(false);
        var items = new BulkItemOutcome[writes.Count];
        for (var i = 0; i < items.Length; i++)
            items[i] = outcomes?[i] ?? new BulkItemOutcome(writes[i].Id, writes[i].Version, BulkWriteStatus.Written, 200);
        return new BulkWriteResult(items, attempts);
    }

    /// <summary>
    /// The bulk call itself. Returns one outcome per write, in order, where null means written: the whole array is
    /// null when every item was acknowledged by <c>"errors": false</c>, which is the common case and allocates nothing per item.
    /// </summary>
    internal async Task<(BulkItemOutcome?[]? Outcomes, int Attempts)> WriteAsync(string index, IBulkWrites writes, CancellationToken cancellationToken)
    {
        var path = PathOf(index);
        BulkItemOutcome?[]? outcomes = null;
        List<int>? pending = null; // null: every write
        using var body = new PooledBuffer(_bodySizeHint);
        for (var attempt = 1; ; attempt++)
        {
            body.Reset();
            _body.Write(body, writes, pending);
            _bodySizeHint = Math.Max(_bodySizeHint, body.WrittenCount);
            var response = await client.Transport.RequestAsync<BytesResponse>(path, PostData.ReadOnlyMemory(body.WrittenMemory), null, _ndJson, cancellationToken)
                .ConfigureAwait(false);

            var summary = response.ApiCallDetails?.HasSuccessfulStatusCode == true ? BulkResponseReader.Read(response.Body ?? []) : null;
            var sent = pending?.Count ?? writes.Count;
            List<int>? retry = null;
            string lastRetryReason = "";
            if (summary is null)
            {
                // The whole request failed (network, 429, 5xx, or refused).
                var failure = ElasticsearchSinkException.From(response, $"POST /{index}/_bulk");
                if (!failure.IsTransient)
                    throw failure;
                retry = pending ?? [.. Enumerable.Range(0, writes.Count)];
                lastRetryReason = failure.Message;
            }
            else if (!summary.Value.AllSucceeded)
            {
                var items = summary.Value.Items!;
                if (items.Count != sent)
                    throw new ElasticsearchSinkException(
                        $"Elasticsearch bulk response for {index} has {items.Count} items for {sent} operations.", isTransient: true);
                outcomes ??= new BulkItemOutcome?[writes.Count];
                for (var position = 0; position < items.Count; position++)
                {
                    var item = items[position];
                    var slot = pending is null ? position : pending[position];
                    var id = writes.IdAt(slot);
                    var version = writes.VersionAt(slot);
                    var verdict = BulkItemClassifier.Classify(item, writes.DocumentAt(slot) is null);
                    if (verdict == BulkItemVerdict.Retry)
                    {
                        (retry ??= []).Add(slot);
                        lastRetryReason = $"{id}: HTTP {item.Status.ToString(CultureInfo.InvariantCulture)} {item.ErrorType}: {item.Reason}";
                        continue;
                    }

                    outcomes[slot] = verdict switch
                    {
                        BulkItemVerdict.Written => new BulkItemOutcome(id, version, BulkWriteStatus.Written, item.Status),
                        BulkItemVerdict.AlreadyApplied => new BulkItemOutcome(id, version, BulkWriteStatus.AlreadyApplied, item.Status),
                        _ => new BulkItemOutcome(id, version, BulkWriteStatus.Rejected, item.Status,
                            item.ErrorType ?? "unknown", item.Reason ?? "no reason given"),
                    };
                }
            }

            // With "errors": false every item sent was written: its slot stays null.
            if (retry is null)
                return (outcomes, attempt);
            if (attempt >= options.MaxBulkAttempts)
                throw new ElasticsearchSinkException(
                    $"Elasticsearch bulk write to {index}: {retry.Count.ToString(CultureInfo.InvariantCulture)} of {writes.Count.ToString(CultureInfo.InvariantCulture)} documents still failed after {attempt.ToString(CultureInfo.InvariantCulture)} attempts; last error: {lastRetryReason}",
                    isTransient: true, statusCode: 429);

            var delay = Backoff.Delay(attempt, options.InitialBackoff, options.MaxBackoff, random());
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            pending = retry;
        }
    }

    private EndpointPath PathOf(string index)
    {
        var last = _lastPath;
        if (last is not null && string.Equals(last.Index, index, StringComparison.Ordinal))
            return last.Path;
        var path = new EndpointPath(Elastic.Transport.HttpMethod.POST, $"{Uri.EscapeDataString(index)}/_bulk?refresh={_refresh}&{ResponseFilter}");
        _lastPath = new CachedPath(index, path);
        return path;
    }

    /// <summary>The path of the last index written (one object, so concurrent writers never see half of it).</summary>
    private sealed record CachedPath(string Index, EndpointPath Path);

    internal static string RefreshParameter(RefreshPolicy policy) => policy switch
    {
        RefreshPolicy.True => "true",
        RefreshPolicy.WaitFor => "wait_for",
        _ => "false",
    };
}
