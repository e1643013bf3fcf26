using System.Text.Json;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Get;
using Elastic.Transport.Extensions;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>A stored document and its external version (the global sequence of the last event applied to it).</summary>
public sealed record VersionedDocument<TDocument>(string Id, TDocument Document, long Version);

/// <summary>
/// Loads the current documents of a batch with one <c>_mget</c> call (never one request per document).
/// <c>_mget</c> is real-time, so it sees writes that are not yet refreshed into search.
/// </summary>
public sealed class ElasticsearchDocumentReader(ElasticsearchClient client)
{
    public async Task<IReadOnlyDictionary<string, VersionedDocument<TDocument>>> LoadAsync<TDocument>(
        string index, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(index);
        ArgumentNullException.ThrowIfNull(ids);
        var distinct = ids.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
            return new Dictionary<string, VersionedDocument<TDocument>>(StringComparer.Ordinal);

        var response = await client.MultiGetAsync<TDocument>(new MultiGetRequest(index) { Ids = new Ids(distinct) }, cancellationToken)
            .ConfigureAwait(false);
        if (!response.IsValidResponse)
            throw ElasticsearchSinkException.From(response, $"POST /{index}/_mget");

        var found = new Dictionary<string, VersionedDocument<TDocument>>(StringComparer.Ordinal);
        foreach (var item in response.Docs)
        {
            item.Match(result => Add(found, result!), error => throw ItemFailed(index, error!));
        }

        return found;
    }

    /// <summary>Loads documents whose type is known at run time (the daemon's read models), deserialized with the client's source serializer.</summary>
    public async Task<IReadOnlyDictionary<string, VersionedDocument<object>>> LoadAsync(
        string index, Type documentType, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentType);
        var raw = await LoadAsync<JsonElement?>(index, ids, cancellationToken).ConfigureAwait(false);
        return raw.Values.ToDictionary(
            d => d.Id,
            d => new VersionedDocument<object>(d.Id, client.SourceSerializer.Deserialize(d.Document!.Value, documentType)
                ?? throw new ElasticsearchSinkException($"document {d.Id} of {index} has a null _source", isTransient: false), d.Version),
            StringComparer.Ordinal);
    }

    private static ElasticsearchSinkException ItemFailed(string index, Elastic.Clients.Elasticsearch.Core.MGet.MultiGetError error)
    {
        var type = error.Error?.Type ?? "unknown";
        return new ElasticsearchSinkException(
            $"Elasticsearch _mget of {index} failed for document {error.Id}: {type}: {error.Error?.Reason}",
            isTransient: type is not "index_not_found_exception",
            errorType: type);
    }

    private static void Add<TDocument>(Dictionary<string, VersionedDocument<TDocument>> found, GetResult<TDocument> result)
    {
        if (result.Found && result.Source is not null)
            found[result.Id] = new VersionedDocument<TDocument>(result.Id, result.Source, result.Version ?? 0);
    }
}
