using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;

namespace OrderDomain.Security;

/// <summary>
/// JWT bearer authentication and the authorisation policies: a fallback policy that requires an
/// authenticated caller on every route (the health endpoints opt out), and one policy per role.
/// </summary>
public static class OrderAuthentication
{
    /// <summary>How far token times may be off between issuer and service.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddOrderAuthentication(this IServiceCollection services, OrderAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        var issuer = TokenIssuer.For(options, TimeProvider.System);
        if (issuer is not null)
            services.AddSingleton(issuer);

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = ValidationParameters(options, issuer);
            if (options.Authority is { } authority)
            {
                jwt.Authority = authority.ToString();
                jwt.Audience = options.Audience;
            }
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().RequireClaim(OrderRoles.SubjectClaim).Build())
            .AddPolicy(OrderRoles.Read, RequireRole(OrderRoles.Read))
            .AddPolicy(OrderRoles.Write, RequireRole(OrderRoles.Write))
            .AddPolicy(OrderRoles.Operations, RequireRole(OrderRoles.Operations));
        services.AddHttpContextAccessor();
        services.AddSingleton<CommandActor>();
        return services;
    }

    private static AuthorizationPolicy RequireRole(string role) =>
        new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().RequireClaim(OrderRoles.SubjectClaim).RequireRole(role).Build();

    /// <summary>Issuer, audience, lifetime and signature are all checked; with a local key only HS256 is accepted.</summary>
    public static TokenValidationParameters ValidationParameters(OrderAuthOptions options, TokenIssuer? issuer)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parameters = new TokenValidationParameters
        {
            NameClaimType = OrderRoles.SubjectClaim,
            RoleClaimType = OrderRoles.RolesClaim,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = ClockSkew,
            ValidAudience = options.IsDevelopment ? OrderAuthOptions.DevelopmentAudience : options.Audience,
        };
        if (options.Issuer is not null || options.IsDevelopment)
            parameters.ValidIssuer = options.IsDevelopment ? OrderAuthOptions.DevelopmentIssuer : options.Issuer;
        if (issuer is not null)
        {
            parameters.IssuerSigningKey = issuer.Key;
            parameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }

        return parameters;
    }
}
