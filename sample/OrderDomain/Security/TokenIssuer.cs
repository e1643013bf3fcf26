using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrderDomain.Security;

/// <summary>
/// Issues HS256 tokens with a key this process holds: the development key, or the configured
/// <c>Orders:Auth:SigningKey</c>. Used by the demo, the load generator, the <c>token</c> command and the tests.
/// </summary>
public sealed class TokenIssuer(SymmetricSecurityKey key, string issuer, string audience, TimeProvider clock)
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    public string Issuer { get; } = issuer;

    public string Audience { get; } = audience;

    public SymmetricSecurityKey Key { get; } = key;

    /// <summary>The issuer for the configured shared key, or the development key (created when missing); null with an authority.</summary>
    public static TokenIssuer? For(OrderAuthOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsDevelopment)
            return new TokenIssuer(new SymmetricSecurityKey(DevelopmentSigningKey.LoadOrCreate(DevelopmentSigningKey.PathFor(options))),
                OrderAuthOptions.DevelopmentIssuer, OrderAuthOptions.DevelopmentAudience, clock);
        return options.SigningKeyBytes() is { } bytes
            ? new TokenIssuer(new SymmetricSecurityKey(bytes), options.Issuer!, options.Audience!, clock)
            : null;
    }

    /// <summary>A token for <paramref name="subject"/> holding <paramref name="roles"/>, valid from now for <paramref name="lifetime"/>.</summary>
    public string Issue(string subject, IEnumerable<string> roles, TimeSpan lifetime, string? clientId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentNullException.ThrowIfNull(roles);
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"a token lives more than 0 and at most {MaxLifetime.TotalDays:0} days");
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [OrderRoles.SubjectClaim] = subject,
            [OrderRoles.RolesClaim] = roles.ToArray(),
        };
        if (clientId is not null)
            claims[OrderRoles.ClientIdClaim] = clientId;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
