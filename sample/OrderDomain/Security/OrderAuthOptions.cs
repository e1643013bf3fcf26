using OrderDomain.Hosting;

namespace OrderDomain.Security;

/// <summary>
/// How callers authenticate (configuration section <c>Orders:Auth</c>). Either an OpenID Connect
/// <see cref="Authority"/> (its signing keys are discovered) or a shared <see cref="SigningKey"/> (HS256),
/// each with the <see cref="Audience"/> tokens must be issued for. With neither, the service runs on a
/// development key kept under <c>.local/</c> and accepts connections on loopback addresses only, unless
/// <see cref="Insecure"/> is set.
/// </summary>
public sealed record OrderAuthOptions
{
    public const string Section = OrderServiceOptions.Section + ":Auth";

    /// <summary>The issuer of the development tokens (and of the <c>token</c> command's without a configured key).</summary>
    public const string DevelopmentIssuer = "orderdomain-dev";

    public const string DevelopmentAudience = "orderdomain";

    /// <summary>An OpenID Connect authority (https): its discovery document names the issuer and the signing keys.</summary>
    public Uri? Authority { get; init; }

    /// <summary>A shared HMAC-SHA256 key, base64, at least 32 bytes; tokens signed with it are accepted.</summary>
    public string? SigningKey { get; init; }

    /// <summary>The expected <c>iss</c>: required with <see cref="SigningKey"/>; with an authority, discovery provides it.</summary>
    public string? Issuer { get; init; }

    /// <summary>The expected <c>aud</c>: required when authentication is configured.</summary>
    public string? Audience { get; init; }

    /// <summary>Accept development tokens on non-loopback addresses too. Never in production: anyone who reads the key file can mint any role.</summary>
    public bool Insecure { get; init; }

    /// <summary>Where the development key is kept; default <c>.local/orderdomain-signing-key</c> in the repository (or the current directory).</summary>
    public string? DevelopmentKeyFile { get; init; }

    /// <summary>True when neither an authority nor a signing key is configured: the development key is used.</summary>
    public bool IsDevelopment => Authority is null && string.IsNullOrWhiteSpace(SigningKey);

    public OrderAuthOptions Validate()
    {
        if (Authority is not null && !string.IsNullOrWhiteSpace(SigningKey))
            throw new InvalidSettingException($"{Section}:Authority and {Section}:SigningKey are both set; configure one way to validate tokens");
        if (Authority is { } authority && (!authority.IsAbsoluteUri || authority.Scheme != Uri.UriSchemeHttps))
            throw new InvalidSettingException($"{Section}:Authority '{authority}' must be an absolute https URL (the OpenID Connect issuer)");
        if (!string.IsNullOrWhiteSpace(SigningKey))
        {
            if (SigningKeyBytes() is not { Length: >= 32 })
                throw new InvalidSettingException($"{Section}:SigningKey must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`)");
            if (string.IsNullOrWhiteSpace(Issuer))
                throw new InvalidSettingException($"{Section}:Issuer is required with {Section}:SigningKey: the 'iss' the tokens carry");
        }

        if (IsDevelopment && (Issuer is not null || Audience is not null))
            throw new InvalidSettingException($"{Section}:{(Issuer is not null ? "Issuer" : "Audience")} is set but neither {Section}:Authority nor {Section}:SigningKey is: set one of them, or remove it to run on the development key");
        if (!IsDevelopment && string.IsNullOrWhiteSpace(Audience))
            throw new InvalidSettingException($"{Section}:Audience is required with {(Authority is null ? "SigningKey" : "Authority")}: the 'aud' the tokens are issued for");
        return this;
    }

    /// <summary>The configured shared key, or null when it is not valid base64.</summary>
    public byte[]? SigningKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(SigningKey))
            return null;
        var buffer = new byte[SigningKey.Length];
        return Convert.TryFromBase64String(SigningKey.Trim(), buffer, out var written) ? buffer[..written] : null;
    }

    public static OrderAuthOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var authority = section["Authority"];
        return new OrderAuthOptions
        {
            Authority = string.IsNullOrWhiteSpace(authority)
                ? null
                : Uri.TryCreate(authority, UriKind.Absolute, out var uri) ? uri : throw new InvalidSettingException($"{Section}:Authority '{authority}' must be an absolute https URL"),
            SigningKey = NullIfBlank(section["SigningKey"]),
            Issuer = NullIfBlank(section["Issuer"]),
            Audience = NullIfBlank(section["Audience"]),
            Insecure = Flag(section, "Insecure"),
            DevelopmentKeyFile = NullIfBlank(section["DevelopmentKeyFile"]),
        }.Validate();
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static bool Flag(IConfiguration section, string name) => section[name] switch
    {
        null or "" => false,
        var text when bool.TryParse(text, out var value) => value,
        var text => throw new InvalidSettingException($"{Section}:{name} must be true or false, was '{text}'"),
    };
}
