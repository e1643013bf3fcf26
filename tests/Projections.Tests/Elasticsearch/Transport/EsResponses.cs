using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventSourcing.Projections.Tests.Elasticsearch.Transport;

/// <summary>Response bodies in the shapes the Elasticsearch REST API documents (bulk, mget, indices, aliases, errors).</summary>
public static class EsResponses
{
    public static CannedResponse Ok(string json) => new(200, json);

    public static CannedResponse Acknowledged() => Ok("""{"acknowledged":true}""");

    public static CannedResponse IndexCreated(string index) =>
        Ok($$"""{"acknowledged":true,"shards_acknowledged":true,"index":"{{index}}"}""");

    /// <summary>HEAD responses have no body.</summary>
    public static CannedResponse Exists(bool exists) => new(exists ? 200 : 404, "");

    /// <summary>The error envelope of every failed Elasticsearch request.</summary>
    public static CannedResponse Error(int status, string type, string reason, JsonObject? extra = null)
    {
        var cause = new JsonObject { ["type"] = type, ["reason"] = reason };
        if (extra is not null)
            foreach (var (k, v) in extra) cause[k] = v?.DeepClone();
        var error = (JsonObject)cause.DeepClone();
        error["root_cause"] = new JsonArray(cause);
        return new CannedResponse(status, new JsonObject { ["error"] = error, ["status"] = status }.ToJsonString());
    }

    public static CannedResponse AliasMissing(string alias) =>
        new(404, $$"""{"error":"alias [{{alias}}] missing","status":404}""");

    /// <summary>GET /_alias/{alias}: index -> aliases.</summary>
    public static CannedResponse AliasTargets(string alias, params string[] indices)
    {
        var body = new JsonObject();
        foreach (var index in indices)
            body[index] = new JsonObject { ["aliases"] = new JsonObject { [alias] = new JsonObject() } };
        return Ok(body.ToJsonString());
    }

    /// <summary>GET /{indices}/_mapping with an optional retired_at in _meta per index.</summary>
    public static CannedResponse Mappings(params (string Index, DateTimeOffset? RetiredAt)[] indices)
    {
        var body = new JsonObject();
        foreach (var (index, retiredAt) in indices)
        {
            var mappings = new JsonObject { ["properties"] = new JsonObject { ["status"] = new JsonObject { ["type"] = "keyword" } } };
            if (retiredAt is { } at)
                mappings["_meta"] = new JsonObject { ["retired_at"] = at.ToString("O", CultureInfo.InvariantCulture) };
            body[index] = new JsonObject { ["mappings"] = mappings };
        }

        return Ok(body.ToJsonString());
    }

    public static CannedResponse Bulk(params JsonObject[] items)
    {
        var errors = items.Any(i => i.First().Value!["error"] is not null);
        var body = new JsonObject { ["took"] = 12, ["errors"] = errors, ["items"] = new JsonArray([.. items]) };
        return Ok(body.ToJsonString());
    }

    private static JsonObject Shards() => new() { ["total"] = 2, ["successful"] = 1, ["failed"] = 0 };

    public static JsonObject Indexed(string index, string id, long version, string result = "created") => new()
    {
        ["index"] = new JsonObject
        {
            ["_index"] = index, ["_id"] = id, ["_version"] = version, ["result"] = result,
            ["_shards"] = Shards(), ["_seq_no"] = 0, ["_primary_term"] = 1, ["status"] = result == "created" ? 201 : 200,
        },
    };

    public static JsonObject Deleted(string index, string id, long version, bool found = true) => new()
    {
        ["delete"] = new JsonObject
        {
            ["_index"] = index, ["_id"] = id, ["_version"] = version, ["result"] = found ? "deleted" : "not_found",
            ["_shards"] = Shards(), ["_seq_no"] = 1, ["_primary_term"] = 1, ["status"] = found ? 200 : 404,
        },
    };

    public static JsonObject ItemFailed(string operation, string index, string id, int status, string type, string reason, JsonObject? causedBy = null)
    {
        var error = new JsonObject { ["type"] = type, ["reason"] = reason, ["index_uuid"] = "bnF8sF5zQ0mOu3Cz8pS7tA", ["shard"] = "0", ["index"] = index };
        if (causedBy is not null)
            error["caused_by"] = causedBy;
        return new JsonObject { [operation] = new JsonObject { ["_index"] = index, ["_id"] = id, ["status"] = status, ["error"] = error } };
    }

    public static JsonObject VersionConflict(string index, string id, long current, long provided, string operation = "index") =>
        ItemFailed(operation, index, id, 409, "version_conflict_engine_exception",
            $"[{id}]: version conflict, current version [{current}] is higher or equal to the one provided [{provided}]");

    public static JsonObject Rejected429(string index, string id) =>
        ItemFailed("index", index, id, 429, "es_rejected_execution_exception",
            "rejected execution of coordinating operation [coordinating_and_primary_bytes=104857600, replica_bytes=0, all_bytes=104857600, coordinating_operation_bytes=1048576, max_coordinating_and_primary_bytes=107374182]");

    public static JsonObject Unavailable503(string index, string id) =>
        ItemFailed("index", index, id, 503, "unavailable_shards_exception",
            $"[{index}][0] primary shard is not active Timeout: [1m], request: [BulkShardRequest [[{index}][0]] containing [1] requests]");

    public static JsonObject MapperParsing400(string index, string id, string field, string value) =>
        ItemFailed("index", index, id, 400, "mapper_parsing_exception",
            $"failed to parse field [{field}] of type [double] in document with id '{id}'. Preview of field's value: '{value}'",
            new JsonObject { ["type"] = "number_format_exception", ["reason"] = $"For input string: \"{value}\"" });

    public static CannedResponse MultiGet(params JsonObject[] docs) =>
        Ok(new JsonObject { ["docs"] = new JsonArray([.. docs]) }.ToJsonString());

    public static JsonObject Found<T>(string index, string id, long version, T source) => new()
    {
        ["_index"] = index, ["_id"] = id, ["_version"] = version, ["_seq_no"] = 4, ["_primary_term"] = 1, ["found"] = true,
        ["_source"] = JsonSerializer.SerializeToNode(source, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
    };

    public static JsonObject NotFound(string index, string id) => new() { ["_index"] = index, ["_id"] = id, ["found"] = false };
}
