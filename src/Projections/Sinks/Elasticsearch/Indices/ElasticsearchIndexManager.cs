using System.Globalization;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.IndexManagement;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// The index and alias lifecycle of versioned read models: create <c>&lt;alias&gt;-v&lt;N&gt;</c> with the declared
/// mappings and settings only if it is missing, point the alias at a version, swap it atomically (one
/// <c>_aliases</c> request with remove + add), and delete retired versions after the retention period.
/// </summary>
public sealed class ElasticsearchIndexManager(ElasticsearchClient client, ElasticsearchOptions options, TimeProvider time)
{
    /// <summary>The <c>_meta</c> key set on an index when the alias moves away from it.</summary>
    public const string RetiredAtMeta = "retired_at";

    public ElasticsearchIndexManager(ElasticsearchClient client, ElasticsearchOptions options)
        : this(client, options, TimeProvider.System) { }

    /// <summary>Creates the index of <paramref name="version"/> if it does not exist. Returns true if it created it.</summary>
    public async Task<bool> EnsureIndexAsync(ElasticsearchIndexDefinition definition, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var index = definition.IndexFor(version);
        var exists = await client.Indices.ExistsAsync(index, cancellationToken).ConfigureAwait(false);
        if (exists.Exists)
            return false;
        if (!exists.IsValidResponse && exists.ApiCallDetails?.HttpStatusCode != 404)
            throw ElasticsearchSinkException.From(exists, $"HEAD /{index}");

        var request = new CreateIndexRequest(index) { Mappings = definition.Mappings, Settings = definition.Settings };
        var created = await client.Indices.CreateAsync(request, cancellationToken).ConfigureAwait(false);
        if (created.IsValidResponse)
            return true;
        // Another host created it between our check and our create: that is the state we wanted.
        if (created.ElasticsearchServerError?.Error?.Type == "resource_already_exists_exception")
            return false;
        throw ElasticsearchSinkException.From(created, $"PUT /{index}");
    }

    /// <summary>The indices <paramref name="alias"/> points at (empty if the alias does not exist).</summary>
    public async Task<IReadOnlyList<string>> GetAliasTargetsAsync(string alias, CancellationToken cancellationToken)
    {
        var response = await client.Indices.GetAliasAsync(new GetAliasRequest((Names)alias), cancellationToken).ConfigureAwait(false);
        if (response.ApiCallDetails?.HttpStatusCode == 404)
            return [];
        if (!response.IsValidResponse)
            throw ElasticsearchSinkException.From(response, $"GET /_alias/{alias}");
        return (response.Aliases ?? new Dictionary<string, IndexAliases>()).Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The version the alias serves, or null if the alias does not exist yet.</summary>
    public async Task<int?> GetServingVersionAsync(ElasticsearchIndexDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var targets = await GetAliasTargetsAsync(definition.Alias, cancellationToken).ConfigureAwait(false);
        var versions = targets
            .Select(t => ElasticsearchIndexNames.TryParseVersion(definition.Alias, t, out var v) ? v : (int?)null)
            .Where(v => v is not null)
            .ToList();
        return versions.Count == 0 ? null : versions.Max();
    }

    /// <summary>
    /// Points <see cref="ElasticsearchIndexDefinition.Alias"/> at version <paramref name="version"/> in one atomic
    /// <c>_aliases</c> request (remove from every current index + add to the new one), then marks the indices it
    /// moved away from as retired so <see cref="DeleteRetiredAsync"/> can delete them after the retention period.
    /// Returns the indices it moved away from.
    /// </summary>
    public async Task<IReadOnlyList<string>> SwapAliasAsync(ElasticsearchIndexDefinition definition, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var target = definition.IndexFor(version);
        var current = await GetAliasTargetsAsync(definition.Alias, cancellationToken).ConfigureAwait(false);
        var retiring = current.Where(i => !string.Equals(i, target, StringComparison.Ordinal)).ToList();
        if (retiring.Count == 0 && current.Count == 1)
            return [];

        var actions = new List<IndexUpdateAliasesAction>();
        actions.AddRange(retiring.Select(i => new IndexUpdateAliasesAction { Remove = new RemoveAction { Index = i, Alias = definition.Alias } }));
        actions.Add(new IndexUpdateAliasesAction { Add = new AddAction { Index = target, Alias = definition.Alias } });
        var swapped = await client.Indices.UpdateAliasesAsync(new UpdateAliasesRequest { Actions = actions }, cancellationToken).ConfigureAwait(false);
        if (!swapped.IsValidResponse)
            throw ElasticsearchSinkException.From(swapped, "POST /_aliases");

        var at = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        foreach (var index in retiring)
        {
            var marked = await client.Indices.PutMappingAsync(
                new PutMappingRequest(index) { Meta = new Dictionary<string, object> { [RetiredAtMeta] = at } },
                cancellationToken).ConfigureAwait(false);
            if (!marked.IsValidResponse)
                throw ElasticsearchSinkException.From(marked, $"PUT /{index}/_mapping");
        }

        return retiring;
    }

    /// <summary>
    /// Deletes versions of the read model that the alias moved away from more than
    /// <see cref="ElasticsearchOptions.RetainRetiredIndexFor"/> ago. Never deletes an index the alias points at,
    /// nor one that was never retired (a rebuild in progress). Returns the deleted indices.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeleteRetiredAsync(ElasticsearchIndexDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var serving = await GetAliasTargetsAsync(definition.Alias, cancellationToken).ConfigureAwait(false);
        var mappings = await client.Indices.GetMappingAsync(
            new GetMappingRequest(ElasticsearchIndexNames.AllVersions(definition.Alias)), cancellationToken).ConfigureAwait(false);
        if (!mappings.IsValidResponse)
            throw ElasticsearchSinkException.From(mappings, $"GET /{ElasticsearchIndexNames.AllVersions(definition.Alias)}/_mapping");

        var now = time.GetUtcNow();
        var expired = new List<string>();
        foreach (var (name, record) in mappings.Mappings)
        {
            var index = name.ToString();
            if (!ElasticsearchIndexNames.TryParseVersion(definition.Alias, index, out _) || serving.Contains(index, StringComparer.Ordinal))
                continue;
            if (record.Mappings?.Meta is not { } meta || !meta.TryGetValue(RetiredAtMeta, out var value))
                continue;
            if (!DateTimeOffset.TryParse(value?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var retiredAt))
                continue;
            if (now - retiredAt >= options.RetainRetiredIndexFor)
                expired.Add(index);
        }

        foreach (var index in expired.Order(StringComparer.Ordinal))
        {
            var deleted = await client.Indices.DeleteAsync(index, cancellationToken).ConfigureAwait(false);
            if (!deleted.IsValidResponse && deleted.ApiCallDetails?.HttpStatusCode != 404)
                throw ElasticsearchSinkException.From(deleted, $"DELETE /{index}");
        }

        return expired;
    }
}
