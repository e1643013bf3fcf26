using System.Collections.Concurrent;
using System.Net;
using Confluent.SchemaRegistry;
using Npgsql;

namespace EventSourcing.SchemaTools.Registry;

using Compatibility = Confluent.SchemaRegistry.Compatibility;

/// <summary>
/// Confluent's <see cref="ISchemaRegistryClient"/> backed by PostgreSQL: the embedded registry for
/// tests, the demo and machines without a Schema Registry server. Confluent's own AvroSerializer
/// and AvroDeserializer run against it unchanged. Ids are global and stable across restarts (they
/// live in PostgreSQL); the same schema text gets the same id in every subject; versions count up
/// per subject; a registration is checked against the subject's earlier versions under its level by
/// the SchemaTools checker (through <see cref="ISchemaCompatibilityGate"/>) and refused with HTTP 409
/// semantics naming each violation. Only AVRO schemas without references are supported.
/// </summary>
public sealed class PostgresSchemaRegistryClient : ISchemaRegistryClient
{
    private readonly RegistryStore _store;
    private readonly EmbeddedSchemaRegistryOptions _options;
    private readonly ISchemaCompatibilityGate _gate;
    private readonly ConcurrentDictionary<int, Schema> _byId = new();
    private readonly ConcurrentDictionary<(string Subject, string Fingerprint), RegisteredSchema> _bySubjectAndText = new();
    private readonly ConcurrentDictionary<string, (RegisteredSchema Schema, DateTimeOffset Expires)> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CanonicalSchema> _canonical = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public PostgresSchemaRegistryClient(
        NpgsqlDataSource dataSource, EmbeddedSchemaRegistryOptions options, ISchemaCompatibilityGate gate, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gate);
        options.Validate();
        _options = options;
        _gate = gate;
        _time = time ?? TimeProvider.System;
        _store = new RegistryStore(dataSource, options.DatabaseSchema);
    }

    public IEnumerable<KeyValuePair<string, string>> Config { get; } = [];

    public IAuthenticationHeaderValueProvider AuthHeaderProvider => null!;

    public IWebProxy Proxy => null!;

    public int MaxCachedSchemas => _options.MaxCachedSchemas;

    /// <summary>Creates the registry's tables when they do not exist (also done lazily on first use).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _store.EnsureCreatedAsync(cancellationToken);

    [Obsolete("Superseded by RegisterSchemaAsync(string, Schema, bool)")]
    public Task<int> RegisterSchemaAsync(string subject, string avroSchema, bool normalize = false) =>
        RegisterSchemaAsync(subject, new Schema(avroSchema, SchemaType.Avro), normalize);

    public async Task<int> RegisterSchemaAsync(string subject, Schema schema, bool normalize = false) =>
        (await RegisterSchemaWithResponseAsync(subject, schema, normalize).ConfigureAwait(false)).Id;

    public async Task<RegisteredSchema> RegisterSchemaWithResponseAsync(string subject, Schema schema, bool normalize = false)
    {
        var canonical = Canonical(subject, schema);
        if (_bySubjectAndText.TryGetValue((subject, canonical.Fingerprint), out var known))
            return known;
        var registered = await _store.RegisterAsync(subject, canonical, _options.DefaultCompatibility, _gate, CancellationToken.None).ConfigureAwait(false);
        _latest.TryRemove(subject, out _);
        return Remember(canonical, registered);
    }

    [Obsolete("Superseded by GetSchemaIdAsync(string, Schema, bool)")]
    public Task<int> GetSchemaIdAsync(string subject, string avroSchema, bool normalize = false) =>
        GetSchemaIdAsync(subject, new Schema(avroSchema, SchemaType.Avro), normalize);

    public async Task<int> GetSchemaIdAsync(string subject, Schema schema, bool normalize = false) =>
        (await LookupSchemaAsync(subject, schema, ignoreDeletedSchemas: true, normalize).ConfigureAwait(false)).Id;

    public async Task<RegisteredSchema> LookupSchemaAsync(string subject, Schema schema, bool ignoreDeletedSchemas, bool normalize = false)
    {
        var canonical = Canonical(subject, schema);
        if (_bySubjectAndText.TryGetValue((subject, canonical.Fingerprint), out var known))
            return known;
        var found = await _store.LookupAsync(subject, canonical, CancellationToken.None).ConfigureAwait(false);
        if (found is null)
        {
            var versions = await _store.GetVersionsAsync(subject, CancellationToken.None).ConfigureAwait(false);
            throw versions.Count == 0
                ? RegistryErrors.SubjectNotFound(subject)
                : RegistryErrors.SchemaNotFound($"subject '{subject}' has no version with this schema");
        }

        return Remember(canonical, found);
    }

    public async Task<Schema> GetSchemaAsync(int id, string format = null!)
    {
        if (_byId.TryGetValue(id, out var cached))
            return cached;
        var schema = await _store.GetByIdAsync(id, CancellationToken.None).ConfigureAwait(false)
                     ?? throw RegistryErrors.SchemaNotFound($"no schema with id {id}");
        return _byId.GetOrAdd(id, schema);
    }

    public Task<Schema> GetSchemaBySubjectAndIdAsync(string subject, int id, string format = null!) => GetSchemaAsync(id, format);

    public async Task<Schema> GetSchemaByGuidAsync(string guid, string format = null!)
    {
        if (!Guid.TryParse(guid, out var parsed))
            throw RegistryErrors.SchemaNotFound($"'{guid}' is not a schema guid");
        return await _store.GetByGuidAsync(parsed, CancellationToken.None).ConfigureAwait(false)
               ?? throw RegistryErrors.SchemaNotFound($"no schema with guid {guid}");
    }

    public async Task<RegisteredSchema> GetRegisteredSchemaAsync(string subject, int version, bool ignoreDeletedSchemas = true)
    {
        var found = await _store.GetVersionAsync(subject, version, CancellationToken.None).ConfigureAwait(false);
        if (found is not null)
            return found;
        var versions = await _store.GetVersionsAsync(subject, CancellationToken.None).ConfigureAwait(false);
        throw versions.Count == 0 ? RegistryErrors.SubjectNotFound(subject) : RegistryErrors.VersionNotFound(subject, version);
    }

    [Obsolete("Superseded by GetRegisteredSchemaAsync(string subject, int version).")]
    public async Task<string> GetSchemaAsync(string subject, int version) =>
        (await GetRegisteredSchemaAsync(subject, version).ConfigureAwait(false)).SchemaString;

    public async Task<RegisteredSchema> GetLatestSchemaAsync(string subject)
    {
        var now = _time.GetUtcNow();
        if (_latest.TryGetValue(subject, out var cached) && cached.Expires > now)
            return cached.Schema;
        var latest = await _store.GetLatestAsync(subject, CancellationToken.None).ConfigureAwait(false)
                     ?? throw RegistryErrors.SubjectNotFound(subject);
        _latest[subject] = (latest, now + _options.LatestCacheTtl);
        return latest;
    }

    public Task<RegisteredSchema> GetLatestWithMetadataAsync(string subject, IDictionary<string, string> metadata, bool ignoreDeletedSchemas)
    {
        if (metadata is { Count: > 0 })
            throw new NotSupportedException(
                $"The embedded schema registry keeps no schema metadata, so it cannot select a version of '{subject}' by metadata; use GetLatestSchemaAsync.");
        return GetLatestSchemaAsync(subject);
    }

    public Task<List<string>> GetAllSubjectsAsync() => _store.GetSubjectsAsync(CancellationToken.None);

    public Task<List<int>> GetSubjectVersionsAsync(string subject) => _store.GetVersionsAsync(subject, CancellationToken.None);

    [Obsolete("Superseded by IsCompatibleAsync(string, Schema)")]
    public Task<bool> IsCompatibleAsync(string subject, string avroSchema) =>
        IsCompatibleAsync(subject, new Schema(avroSchema, SchemaType.Avro));

    public async Task<bool> IsCompatibleAsync(string subject, Schema schema) =>
        (await CheckCompatibilityAsync(subject, schema, CancellationToken.None).ConfigureAwait(false)).Count == 0;

    /// <summary>The violations <paramref name="schema"/> would have as the next version of <paramref name="subject"/> (empty when it may be registered).</summary>
    public async Task<IReadOnlyList<string>> CheckCompatibilityAsync(string subject, Schema schema, CancellationToken cancellationToken)
    {
        var canonical = Canonical(subject, schema);
        var (_, violations) = await _store.CheckAsync(subject, canonical, _options.DefaultCompatibility, _gate, cancellationToken).ConfigureAwait(false);
        return violations;
    }

    [Obsolete("SubjectNameStrategy should now be specified via serializer configuration.")]
    public string ConstructKeySubjectName(string topic, string recordType = null!) => topic + "-key";

    [Obsolete("SubjectNameStrategy should now be specified via serializer configuration.")]
    public string ConstructValueSubjectName(string topic, string recordType = null!) => topic + "-value";

    public async Task<Compatibility> GetCompatibilityAsync(string subject = null!) =>
        subject is null
            ? await _store.GetLevelAsync(RegistryTables.GlobalSubject, CancellationToken.None).ConfigureAwait(false) ?? _options.DefaultCompatibility
            : await _store.GetEffectiveLevelAsync(subject, _options.DefaultCompatibility, CancellationToken.None).ConfigureAwait(false);

    public async Task<Compatibility> UpdateCompatibilityAsync(Compatibility compatibility, string subject = null!)
    {
        if (subject is not null && string.IsNullOrWhiteSpace(subject))
            throw RegistryErrors.InvalidSubject(subject);
        await _store.SetLevelAsync(subject ?? RegistryTables.GlobalSubject, compatibility, CancellationToken.None).ConfigureAwait(false);
        return compatibility;
    }

    public void ClearLatestCaches() => _latest.Clear();

    public void ClearCaches()
    {
        _latest.Clear();
        _byId.Clear();
        _bySubjectAndText.Clear();
        _canonical.Clear();
    }

    /// <summary>The embedded registry keeps no topic associations: every lookup finds none, so Confluent's strategies fall back.</summary>
    public Task<List<Association>> GetAssociationsByResourceNameAsync(
        string resourceName, string resourceNamespace, string resourceType, List<string> associationTypes, string lifecycle, int offset, int limit) =>
        Task.FromResult(new List<Association>());

    public Task<AssociationResponse> CreateAssociationAsync(AssociationCreateOrUpdateRequest request) =>
        throw new NotSupportedException("The embedded schema registry does not support subject associations; name subjects with a SubjectNameStrategy.");

    public Task DeleteAssociationsAsync(string resourceId, string resourceType, List<string> associationTypes, bool cascadeLifecycle) =>
        throw new NotSupportedException("The embedded schema registry does not support subject associations.");

    public void Dispose()
    {
        // The data source belongs to the caller.
    }

    private CanonicalSchema Canonical(string subject, Schema schema)
    {
        if (string.IsNullOrWhiteSpace(subject))
            throw RegistryErrors.InvalidSubject(subject);
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.SchemaType != SchemaType.Avro)
            throw RegistryErrors.InvalidSchema(subject, $"the embedded registry stores AVRO schemas only, not {schema.SchemaType}");
        if (schema.References is { Count: > 0 })
            throw RegistryErrors.InvalidSchema(subject, "schema references are not supported by the embedded registry; inline the named types");
        if (_canonical.Count > _options.MaxCachedSchemas)
            _canonical.Clear();
        return _canonical.GetOrAdd(schema.SchemaString, text => CanonicalSchema.Parse(subject, text));
    }

    private RegisteredSchema Remember(CanonicalSchema canonical, RegisteredSchema registered)
    {
        if (_bySubjectAndText.Count > _options.MaxCachedSchemas)
            _bySubjectAndText.Clear();
        _bySubjectAndText[(registered.Subject, canonical.Fingerprint)] = registered;
        _byId.TryAdd(registered.Id, new Schema(registered.SchemaString, [], SchemaType.Avro));
        return registered;
    }
}
