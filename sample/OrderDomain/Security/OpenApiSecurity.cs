using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace OrderDomain.Security;

/// <summary>
/// Declares the bearer scheme in the OpenAPI document, and on each operation the role it requires
/// (OpenAPI 3.1 lets a non-OAuth requirement list role names) with its 401 and 403 answers (and 429 on the rate-limited commands).
/// </summary>
public static class OpenApiSecurity
{
    public const string SchemeName = "Bearer";

    public static OpenApiOptions AddBearerSecurity(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                In = ParameterLocation.Header,
                Description = "A JWT whose 'roles' claim holds orders:read, orders:write or operations (see docs/security.md). " +
                              "Without configured authentication: `OrderDomain token --roles orders:read,orders:write`.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var roles = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
                .Select(a => a.Policy).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = roles });
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "no valid bearer token" });
            if (roles.Count > 0)
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = "the token lacks the role " + string.Join(", ", roles) });
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<EnableRateLimitingAttribute>().Any())
                operation.Responses.TryAdd("429", new OpenApiResponse { Description = "over this caller's rate limit: retry after the Retry-After header's seconds" });
            return Task.CompletedTask;
        });
        return options;
    }
}
