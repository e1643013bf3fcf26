namespace EventSourcing.TestInfrastructure;

/// <summary>
/// Gates the live suites that need servers which cannot be installed on the build machines.
/// Tests marked <c>[SkippableFact]</c> call <see cref="RequireElasticsearch"/> or
/// <see cref="RequireSchemaRegistry"/>; with the variable unset they are reported as skipped with
/// the reason, never silently passed. <c>docker compose up -d</c> provides both servers.
/// </summary>
public static class LiveServices
{
    public const string ElasticsearchVariable = "ELASTICSEARCH_URL";
    public const string SchemaRegistryVariable = "SCHEMA_REGISTRY_URL";

    public static Uri? ElasticsearchUrl => Read(ElasticsearchVariable);

    public static Uri? SchemaRegistryUrl => Read(SchemaRegistryVariable);

    public static Uri RequireElasticsearch()
    {
        var url = ElasticsearchUrl;
        Skip.If(url is null, $"live Elasticsearch suite: set {ElasticsearchVariable} (e.g. http://localhost:9200 after 'docker compose up -d') to run it");
        return url!;
    }

    public static Uri RequireSchemaRegistry()
    {
        var url = SchemaRegistryUrl;
        Skip.If(url is null, $"live Schema Registry suite: set {SchemaRegistryVariable} (e.g. http://localhost:8081 after 'docker compose up -d') to run it");
        return url!;
    }

    private static Uri? Read(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
            return null;
        return Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"{variable} is set to '{value}', which is not an absolute URL.");
    }
}
