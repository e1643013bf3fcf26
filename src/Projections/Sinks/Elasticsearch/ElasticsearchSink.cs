using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.IndexManagement;
using Elastic.Clients.Elasticsearch.Mapping;
using Elastic.Transport.Extensions;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// The production read-model sink. Each read-model version is an index <c>&lt;read model&gt;-v&lt;N&gt;</c> created
/// with the projection's mappings and settings; readers use the alias <c>&lt;read model&gt;</c>, which
/// <see cref="SwapAsync"/> moves atomically. A batch is loaded with one <c>_mget</c> and written with one
/// <c>_bulk</c> call using external versions (the global sequence), so replays and duplicates are no-ops.
/// 429 and 5xx items are retried inside the call; when they keep failing the call throws
/// <see cref="SinkUnavailableException"/> and the daemon's circuit pauses the projection.
/// </summary>
public sealed class ElasticsearchSink : IReadModelSink
{
    private readonly ElasticsearchClient _client;
    private readonly ElasticsearchIndexManager _indices;
    private readonly ElasticsearchBulkWriter _writer;
    private readonly ElasticsearchDocumentReader _reader;
    private readonly ElasticsearchDocumentScanner _scanner;

    public ElasticsearchSink(ElasticsearchClient client, ElasticsearchOptions options, TimeProvider? time = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        time ??= TimeProvider.System;
        _indices = new ElasticsearchIndexManager(client, options, time);
        _writer = new ElasticsearchBulkWriter(client, options, time, Random.Shared.NextDouble);
        _reader = new ElasticsearchDocumentReader(client);
        _scanner = new ElasticsearchDocumentScanner(client);
        Options = options;
    }

    public string Kind => "elasticsearch";

    public ElasticsearchOptions Options { get; }

    /// <summary>The official client, for queries against <see cref="AliasOf"/> (order search uses the typed DSL on it).</summary>
    public ElasticsearchClient Client => _client;

    /// <summary>The alias readers query for a read model: its name.</summary>
    public static string AliasOf(string readModel) => readModel;

    /// <summary>The index of one read-model version: <c>&lt;read model&gt;-v&lt;N&gt;</c>.</summary>
    public static string IndexOf(ReadModelTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ElasticsearchIndexNames.Index(AliasOf(target.ReadModel), target.Version);
    }

    public Task PrepareAsync(ReadModelTarget target, CancellationToken cancellationToken) =>
        Guard(() => _indices.EnsureIndexAsync(Definition(target), target.Version, cancellationToken));

    public Task<IReadOnlyDictionary<string, StoredDocument>> LoadAsync(
        ReadModelTarget target, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        LoadFromAsync(IndexOf(target), target.DocumentType, keys, cancellationToken);

    public Task<IReadOnlyDictionary<string, StoredDocument>> LoadLiveAsync(
        ReadModelTarget readModel, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readModel);
        return LoadFromAsync(AliasOf(readModel.ReadModel), readModel.DocumentType, keys, cancellationToken);
    }

    public async Task<IReadOnlyList<WriteOutcome>> WriteAsync(
        ReadModelTarget target, IReadOnlyList<DocumentChange> changes, SinkWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
            return [];

        var index = IndexOf(target);
        var (result, _) = await Guard(() => _writer.WriteAsync(index, new DocumentChanges(changes), cancellationToken)).ConfigureAwait(false);
        return ToOutcomes(changes, result);
    }

    public Task SwapAsync(ReadModelTarget target, CancellationToken cancellationToken) =>
        Guard(() => _indices.SwapAliasAsync(Definition(target), target.Version, cancellationToken));

    public async Task<int?> LiveVersionAsync(string readModel, CancellationToken cancellationToken) =>
        await Guard(() => _indices.GetServingVersionAsync(new ElasticsearchIndexDefinition(AliasOf(readModel)), cancellationToken)).ConfigureAwait(false);

    public async Task RetireAsync(ReadModelTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var index = IndexOf(target);
        var serving = await Guard(() => _indices.GetAliasTargetsAsync(AliasOf(target.ReadModel), cancellationToken)).ConfigureAwait(false);
        if (serving.Contains(index, StringComparer.Ordinal))
            throw new InvalidOperationException($"cannot retire {index}: the alias {AliasOf(target.ReadModel)} serves it; swap to another version first");
        var deleted = await _client.Indices.DeleteAsync(index, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsValidResponse && deleted.ApiCallDetails?.HttpStatusCode != 404)
            throw Unavailable(ElasticsearchSinkException.From(deleted, $"DELETE /{index}"));
    }

    /// <summary>Reads every document of the version's index through a point in time, paged with search_after; deleted documents are not returned.</summary>
    public async IAsyncEnumerable<StoredDocument> ReadAllAsync(
        ReadModelTarget target, int pageSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var documents = _scanner.ScanAsync(IndexOf(target), target.DocumentType, pageSize, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (documents.ConfigureAwait(false))
        {
            while (await Guard(async () => await documents.MoveNextAsync().ConfigureAwait(false)).ConfigureAwait(false))
                yield return new StoredDocument(documents.Current.Id, documents.Current.Document, documents.Current.Version);
        }
    }

    /// <summary>Deletes the versions of a read model retired longer than <see cref="ElasticsearchOptions.RetainRetiredIndexFor"/> ago.</summary>
    public Task<IReadOnlyList<string>> DeleteExpiredVersionsAsync(string readModel, CancellationToken cancellationToken) =>
        Guard(() => _indices.DeleteRetiredAsync(new ElasticsearchIndexDefinition(AliasOf(readModel)), cancellationToken));

    /// <summary>The index layout of a target: the alias, plus the projection's mappings and settings read with the client's own types.</summary>
    internal ElasticsearchIndexDefinition Definition(ReadModelTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var search = target.SearchIndex;
        return new ElasticsearchIndexDefinition(
            AliasOf(target.ReadModel),
            search is null ? null : Read<TypeMapping>(search.Mappings, target, "mappings"),
            search?.Settings is null ? null : Read<IndexSettings>(search.Settings, target, "settings"));
    }

    private T Read<T>(JsonObject json, ReadModelTarget target, string what)
    {
        try
        {
            return _client.RequestResponseSerializer.Deserialize<T>(json)
                ?? throw new ArgumentException($"the Elasticsearch {what} of read model '{target.ReadModel}' are empty", what);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ArgumentException($"the Elasticsearch {what} of read model '{target.ReadModel}' are not valid: {e.Message}", what, e);
        }
    }

    private async Task<IReadOnlyDictionary<string, StoredDocument>> LoadFromAsync(
        string index, Type documentType, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var found = await Guard(() => _reader.LoadAsync(index, documentType, keys, cancellationToken)).ConfigureAwait(false);
        return found.Values.ToDictionary(d => d.Id, d => new StoredDocument(d.Id, d.Document, d.Version), StringComparer.Ordinal);
    }

    /// <summary>One outcome per change; a null <paramref name="result"/> (or entry) means written.</summary>
    private static WriteOutcome[] ToOutcomes(IReadOnlyList<DocumentChange> changes, BulkItemOutcome?[]? result)
    {
        var outcomes = new WriteOutcome[changes.Count];
        for (var i = 0; i < outcomes.Length; i++)
        {
            var key = changes[i].Key;
            outcomes[i] = result?[i] switch
            {
                { Status: BulkWriteStatus.Rejected } r => new WriteOutcome(key, WriteStatus.Rejected, $"HTTP {r.HttpStatus} {r.ErrorType}: {r.Reason}"),
                { Status: BulkWriteStatus.AlreadyApplied } => new WriteOutcome(key, WriteStatus.AlreadyApplied),
                _ => WriteOutcome.Applied(key),
            };
        }

        return outcomes;
    }

    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ElasticsearchSinkException e) when (e.IsTransient)
        {
            throw Unavailable(e);
        }
    }

    private static async Task Guard(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (ElasticsearchSinkException e) when (e.IsTransient)
        {
            throw Unavailable(e);
        }
    }

    private static Exception Unavailable(ElasticsearchSinkException e) =>
        e.IsTransient ? new SinkUnavailableException(e.Message, e) : e;
}
