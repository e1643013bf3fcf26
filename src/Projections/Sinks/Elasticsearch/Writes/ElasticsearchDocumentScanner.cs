using System.Runtime.CompilerServices;
using System.Text.Json;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Search;
using Elastic.Clients.Elasticsearch.QueryDsl;
using Elastic.Transport.Extensions;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// Reads every document of an index with its external version. A refresh first makes every write acknowledged so far
/// searchable (the sink's bulk writes may not wait for one); then a point in time (<c>POST /{index}/_pit</c>) keeps one
/// view of the index for the whole read, and <c>_search</c> pages through it with <c>search_after</c> on
/// <c>_shard_doc</c> (the cheapest stable order, no field data on <c>_id</c>), <c>version: true</c>; the point in time is
/// closed at the end. Deleted documents are not returned (Elasticsearch keeps no searchable deletion marker).
/// </summary>
public sealed class ElasticsearchDocumentScanner(ElasticsearchClient client)
{
    /// <summary>How long the point in time lives between two pages; every page extends it.</summary>
    public static readonly Duration KeepAlive = "2m";

    public async IAsyncEnumerable<VersionedDocument<object>> ScanAsync(
        string index, Type documentType, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(index);
        ArgumentNullException.ThrowIfNull(documentType);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var refreshed = await client.Indices.RefreshAsync(index, cancellationToken).ConfigureAwait(false);
        if (!refreshed.IsValidResponse)
            throw ElasticsearchSinkException.From(refreshed, $"POST /{index}/_refresh");
        var opened = await client.OpenPointInTimeAsync(new OpenPointInTimeRequest(index) { KeepAlive = KeepAlive }, cancellationToken).ConfigureAwait(false);
        if (!opened.IsValidResponse)
            throw ElasticsearchSinkException.From(opened, $"POST /{index}/_pit");
        var pit = opened.Id;
        try
        {
            ICollection<FieldValue>? after = null;
            while (true)
            {
                var response = await client.SearchAsync<JsonElement?>(Page(pit, pageSize, after), cancellationToken).ConfigureAwait(false);
                if (!response.IsValidResponse)
                    throw ElasticsearchSinkException.From(response, $"POST /_search (point in time of {index})");
                pit = response.PitId ?? pit;
                var hits = response.Hits;
                foreach (var hit in hits)
                {
                    var document = hit.Source is { } source
                        ? client.SourceSerializer.Deserialize(source, documentType)
                        : null;
                    yield return new VersionedDocument<object>(hit.Id!, document
                        ?? throw new ElasticsearchSinkException($"document {hit.Id} of {index} has a null _source", isTransient: false), hit.Version ?? 0);
                }

                if (hits.Count < pageSize)
                    yield break;
                after = [.. hits.Last().Sort!];
            }
        }
        finally
        {
            // the point in time expires by itself after KeepAlive; closing frees it now, also when the read was cancelled
            await client.ClosePointInTimeAsync(new ClosePointInTimeRequest { Id = pit }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static SearchRequest Page(string pit, int pageSize, ICollection<FieldValue>? after) => new()
    {
        Pit = new PointInTimeReference { Id = pit, KeepAlive = KeepAlive },
        Query = new MatchAllQuery(),
        Size = pageSize,
        Sort = [new SortOptions { Field = new FieldSort { Field = "_shard_doc", Order = SortOrder.Asc } }],
        SearchAfter = after,
        Version = true,
        TrackTotalHits = new TrackHits(false),
    };
}
