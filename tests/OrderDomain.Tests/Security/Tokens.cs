using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrderDomain.Security;

namespace EventSourcing.OrderDomain.Tests.Security;

/// <summary>Tokens the service must refuse, each wrong in exactly one way.</summary>
internal static class Tokens
{
    public static string Expired(TokenIssuer issuer) =>
        new TokenIssuer(issuer.Key, issuer.Issuer, issuer.Audience, new FixedClock(DateTimeOffset.UtcNow.AddHours(-3)))
            .Issue("expired-caller", [.. OrderRoles.All], TimeSpan.FromHours(1));

    public static string WrongAudience(TokenIssuer issuer) =>
        new TokenIssuer(issuer.Key, issuer.Issuer, "some-other-service", TimeProvider.System).Issue("caller", [.. OrderRoles.All], TimeSpan.FromHours(1));

    public static string WrongIssuer(TokenIssuer issuer) =>
        new TokenIssuer(issuer.Key, "https://someone-else.example", issuer.Audience, TimeProvider.System).Issue("caller", [.. OrderRoles.All], TimeSpan.FromHours(1));

    public static string WrongSignature(TokenIssuer issuer) =>
        new TokenIssuer(new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), issuer.Issuer, issuer.Audience, TimeProvider.System)
            .Issue("caller", [.. OrderRoles.All], TimeSpan.FromHours(1));

    /// <summary>Well-formed claims with <c>alg: none</c> and no signature.</summary>
    public static string Unsigned(TokenIssuer issuer)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer.Issuer,
            Audience = issuer.Audience,
            Claims = new Dictionary<string, object>(StringComparer.Ordinal) { ["sub"] = "caller", ["roles"] = OrderRoles.All.ToArray() },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
        });
    }

    public const string NotAJwt = "not.a.jwt";

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
