using System.Text;
using Confluent.SchemaRegistry;

namespace EventSourcing.Projections.Kafka.Options;

/// <summary>
/// Where schemas live: a Confluent Schema Registry at <see cref="Url"/> (with optional basic auth), or,
/// when no URL is set, the embedded PostgreSQL-backed registry. The basic-auth secret never appears in
/// <see cref="ToString"/>.
/// </summary>
public sealed record SchemaRegistryOptions
{
    public Uri? Url { get; init; }

    /// <summary><c>user:password</c> for the registry's basic auth.</summary>
    public string? BasicAuthUserInfo { get; init; }

    /// <summary>The PostgreSQL schema of the embedded registry's tables, used when <see cref="Url"/> is null.</summary>
    public string EmbeddedDatabaseSchema { get; init; } = "schema_registry";

    public void Validate(string section)
    {
        if (Url is not null && Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException($"{section}.Url '{Url}' must be an http or https URL.");
        if (BasicAuthUserInfo is not null && (Url is null || !BasicAuthUserInfo.Contains(':', StringComparison.Ordinal)))
            throw new ArgumentException($"{section}.BasicAuthUserInfo must be 'user:password' and needs {section}.Url.");
    }

    public SchemaRegistryConfig ToConfluentConfig()
    {
        var config = new SchemaRegistryConfig { Url = Url?.ToString() ?? throw new InvalidOperationException("SchemaRegistryOptions.Url is not set; the embedded registry is used instead.") };
        if (BasicAuthUserInfo is not null)
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = BasicAuthUserInfo;
        }

        return config;
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Url = ").Append(Url)
            .Append(", BasicAuthUserInfo = ").Append(BasicAuthUserInfo is null ? "" : BasicAuthUserInfo.Split(':')[0] + ":***")
            .Append(", EmbeddedDatabaseSchema = ").Append(EmbeddedDatabaseSchema);
        return true;
    }
}
