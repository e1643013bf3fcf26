using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EventSourcing.Projections.Tests.Elasticsearch.Transport;

/// <summary>
/// A stand-in for one Elasticsearch node behind the client's in-memory transport, for the sink behaviour suite.
/// It answers only the APIs the sink uses, with the documented semantics and response shapes:
/// index create/exists/delete, <c>_aliases</c> (atomic), <c>_alias</c>, <c>_mapping</c> (<c>_meta</c>), <c>_bulk</c>
/// with <c>version_type=external|external_gte</c> (conflict = 409 <c>version_conflict_engine_exception</c>; a delete
/// leaves a versioned tombstone, as Elasticsearch does for <c>index.gc_deletes</c>, 60 s by default), real-time
/// <c>_mget</c> through an index or an alias, <c>_refresh</c>, and reading a whole index through a point in time
/// (<c>_pit</c>, <c>_search</c> with <c>pit</c>, <c>search_after</c> on <c>_shard_doc</c>, tombstones never returned). Anything else is answered 400 naming the request,
/// so the sink cannot silently depend on behaviour this stand-in does not have.
/// </summary>
public sealed partial class InMemoryElasticsearch
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IndexState> _indices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Id, JsonNode Source, long Version)>> _pits = new(StringComparer.Ordinal);
    private int _pitsOpened;

    private sealed class IndexState(JsonObject? mappings)
    {
        public JsonObject Mappings { get; } = mappings ?? new JsonObject();
        public HashSet<string> Aliases { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, (JsonNode? Source, long Version)> Documents { get; } = new(StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> IndexNames
    {
        get { lock (_gate) return [.. _indices.Keys]; }
    }

    public CannedResponse Handle(RecordedRequest request)
    {
        lock (_gate)
        {
            var segments = request.Path.Trim('/').Split('/');
            return (request.Method, segments) switch
            {
                ("HEAD", [var index]) => new CannedResponse(_indices.ContainsKey(index) ? 200 : 404, ""),
                ("PUT", [var index]) => CreateIndex(index, request.Body),
                ("DELETE", ["_pit"]) => ClosePit((string)JsonNode.Parse(request.Body!)!["id"]!),
                ("DELETE", [var index]) => DeleteIndex(index),
                ("GET", ["_alias", var alias]) => GetAlias(alias),
                ("POST", ["_aliases"]) => UpdateAliases(JsonNode.Parse(request.Body!)!.AsObject()),
                ("PUT", [var index, "_mapping"]) => PutMeta(index, JsonNode.Parse(request.Body!)!.AsObject()),
                ("GET", [var pattern, "_mapping"]) => GetMappings(pattern),
                ("POST", [var index, "_bulk"]) => Bulk(index, request.Body!),
                ("POST", [var target, "_mget"]) => MultiGet(target, JsonNode.Parse(request.Body!)!.AsObject()),
                ("POST", [var index, "_pit"]) => OpenPit(index),
                ("POST", ["_search"]) => SearchPit(JsonNode.Parse(request.Body!)!.AsObject()),
                ("POST", [var index, "_refresh"]) => EsResponses.Ok("""{"_shards":{"total":1,"successful":1,"failed":0}}"""),
                _ => EsResponses.Error(400, "in_memory_elasticsearch_unsupported", $"not emulated: {request.Method} {request.PathAndQuery}"),
            };
        }
    }

    private CannedResponse CreateIndex(string index, string? body)
    {
        if (_indices.ContainsKey(index))
            return EsResponses.Error(400, "resource_already_exists_exception", $"index [{index}/AAAAAAAAAAAAAAAAAAAAAA] already exists");
        var mappings = body is null ? null : JsonNode.Parse(body)?["mappings"]?.DeepClone().AsObject();
        _indices[index] = new IndexState(mappings);
        return EsResponses.IndexCreated(index);
    }

    private CannedResponse DeleteIndex(string index) =>
        _indices.Remove(index) ? EsResponses.Acknowledged() : IndexNotFound(index);

    private CannedResponse GetAlias(string alias)
    {
        var holders = _indices.Where(i => i.Value.Aliases.Contains(alias)).Select(i => i.Key).ToArray();
        return holders.Length == 0 ? EsResponses.AliasMissing(alias) : EsResponses.AliasTargets(alias, holders);
    }

    private CannedResponse UpdateAliases(JsonObject body)
    {
        // Validate every action first: the request applies all of them or none.
        var actions = body["actions"]!.AsArray().Select(a => a!.AsObject().Single()).ToList();
        foreach (var (kind, spec) in actions)
        {
            var index = (string)spec!["index"]!;
            var alias = (string)spec["alias"]!;
            if (!_indices.TryGetValue(index, out var state))
                return IndexNotFound(index);
            if (kind == "remove" && !state.Aliases.Contains(alias))
                return EsResponses.Error(404, "aliases_not_found_exception", $"aliases [{alias}] missing");
            if (kind is not ("add" or "remove"))
                return EsResponses.Error(400, "in_memory_elasticsearch_unsupported", $"alias action {kind}");
        }

        foreach (var (kind, spec) in actions)
        {
            var state = _indices[(string)spec!["index"]!];
            if (kind == "add") state.Aliases.Add((string)spec["alias"]!);
            else state.Aliases.Remove((string)spec["alias"]!);
        }

        return EsResponses.Acknowledged();
    }

    private CannedResponse PutMeta(string index, JsonObject body)
    {
        if (!_indices.TryGetValue(index, out var state))
            return IndexNotFound(index);
        if (body["_meta"] is { } meta)
            state.Mappings["_meta"] = meta.DeepClone();
        return EsResponses.Acknowledged();
    }

    private CannedResponse GetMappings(string pattern)
    {
        var regex = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.None, TimeSpan.FromSeconds(1));
        var body = new JsonObject();
        foreach (var (name, state) in _indices.Where(i => regex.IsMatch(i.Key)))
            body[name] = new JsonObject { ["mappings"] = state.Mappings.DeepClone() };
        return EsResponses.Ok(body.ToJsonString());
    }

    private CannedResponse Bulk(string target, string ndjson)
    {
        var index = Resolve(target) ?? target;
        if (!_indices.TryGetValue(index, out var state))
            _indices[index] = state = new IndexState(null); // action.auto_create_index defaults to true

        var lines = ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var items = new List<JsonObject>();
        for (var i = 0; i < lines.Length; i++)
        {
            var (op, meta) = JsonNode.Parse(lines[i])!.AsObject().Single();
            var id = (string)meta!["_id"]!;
            var version = (long?)meta["version"];
            var type = (string?)meta["version_type"] ?? "internal";
            JsonNode? source = op == "delete" ? null : JsonNode.Parse(lines[++i]);
            state.Documents.TryGetValue(id, out var current);
            var exists = state.Documents.ContainsKey(id);
            var accepted = type switch
            {
                "external" => !exists || version > current.Version,
                "external_gte" => !exists || version >= current.Version,
                _ => true,
            };
            if (!accepted)
            {
                items.Add(EsResponses.VersionConflict(index, id, current.Version, version ?? 0, op));
                continue;
            }

            var newVersion = type == "internal" ? current.Version + 1 : version!.Value;
            var live = exists && current.Source is not null;
            state.Documents[id] = (source, newVersion); // a delete keeps a tombstone with its version
            items.Add(op == "delete"
                ? EsResponses.Deleted(index, id, newVersion, found: live)
                : EsResponses.Indexed(index, id, newVersion, live ? "updated" : "created"));
        }

        return EsResponses.Bulk([.. items]);
    }

    private CannedResponse MultiGet(string target, JsonObject body)
    {
        var index = Resolve(target);
        if (index is null && _indices.Any(i => i.Value.Aliases.Contains(target)))
            return EsResponses.Error(400, "illegal_argument_exception", $"alias [{target}] has more than one index associated with it, can't execute a single index op");
        index ??= target;

        var docs = new List<JsonObject>();
        foreach (var id in body["ids"]!.AsArray().Select(n => (string)n!))
        {
            if (!_indices.TryGetValue(index, out var state))
            {
                docs.Add(new JsonObject
                {
                    ["_index"] = index, ["_id"] = id,
                    ["error"] = JsonNode.Parse(EsResponses.Error(404, "index_not_found_exception", $"no such index [{index}]").Body)!["error"]!.DeepClone(),
                });
                continue;
            }

            if (state.Documents.TryGetValue(id, out var doc) && doc.Source is not null)
                docs.Add(new JsonObject
                {
                    ["_index"] = index, ["_id"] = id, ["_version"] = doc.Version, ["_seq_no"] = 0, ["_primary_term"] = 1,
                    ["found"] = true, ["_source"] = doc.Source.DeepClone(),
                });
            else
                docs.Add(EsResponses.NotFound(index, id));
        }

        return EsResponses.MultiGet([.. docs]);
    }

    /// <summary>A point in time: the index's live documents as they are now, in a stable order (the shard doc order).</summary>
    private CannedResponse OpenPit(string target)
    {
        if (Resolve(target) is not { } index)
            return IndexNotFound(target);
        var id = "pit-" + (++_pitsOpened).ToString(CultureInfo.InvariantCulture);
        _pits[id] = [.. _indices[index].Documents.Where(d => d.Value.Source is not null).Select(d => (d.Key, d.Value.Source!.DeepClone(), d.Value.Version))];
        return EsResponses.Ok(new JsonObject { ["id"] = id }.ToJsonString());
    }

    private CannedResponse SearchPit(JsonObject body)
    {
        if (body["pit"]?["id"] is not { } pitId || !_pits.TryGetValue((string)pitId!, out var documents))
            return EsResponses.Error(400, "in_memory_elasticsearch_unsupported", "only _search over an open point in time is emulated");
        // the client sends a single sort as an object, which Elasticsearch accepts as well as a one-element array
        if (body["sort"]?.ToJsonString().Trim('[', ']') is not ("{\"_shard_doc\":{\"order\":\"asc\"}}" or "{\"_shard_doc\":\"asc\"}"))
            return EsResponses.Error(400, "in_memory_elasticsearch_unsupported", $"sort {body["sort"]?.ToJsonString()}");
        var start = body["search_after"] is JsonArray after ? (int)(long)after[0]! + 1 : 0;
        var size = (int?)body["size"] ?? 10;
        var withVersion = (bool?)body["version"] ?? false;
        var hits = new JsonArray();
        for (var i = start; i < Math.Min(documents.Count, start + size); i++)
        {
            var hit = new JsonObject { ["_index"] = "pit", ["_id"] = documents[i].Id, ["_score"] = null, ["_source"] = documents[i].Source.DeepClone(), ["sort"] = new JsonArray((long)i) };
            if (withVersion)
                hit["_version"] = documents[i].Version;
            hits.Add(hit);
        }

        return EsResponses.Ok(new JsonObject
        {
            ["pit_id"] = (string)pitId!, ["took"] = 1, ["timed_out"] = false,
            ["_shards"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["skipped"] = 0, ["failed"] = 0 },
            ["hits"] = new JsonObject { ["max_score"] = null, ["hits"] = hits },
        }.ToJsonString());
    }

    private CannedResponse ClosePit(string id) =>
        EsResponses.Ok(new JsonObject { ["succeeded"] = true, ["num_freed"] = _pits.Remove(id) ? 1 : 0 }.ToJsonString());

    /// <summary>The number of points in time opened and not yet closed.</summary>
    public int OpenPointsInTime
    {
        get { lock (_gate) return _pits.Count; }
    }

    /// <summary>The concrete index a name addresses: itself, or the one index an alias points at (null if ambiguous or unknown).</summary>
    private string? Resolve(string name)
    {
        if (_indices.ContainsKey(name))
            return name;
        var holders = _indices.Where(i => i.Value.Aliases.Contains(name)).Select(i => i.Key).ToList();
        return holders.Count == 1 ? holders[0] : null;
    }

    private static CannedResponse IndexNotFound(string index) =>
        EsResponses.Error(404, "index_not_found_exception", $"no such index [{index}]",
            new JsonObject { ["resource.type"] = "index_or_alias", ["resource.id"] = index, ["index_uuid"] = "_na_", ["index"] = index });

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"InMemoryElasticsearch with {_indices.Count} indices");
}
