using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using OrderDomain.Orders.Http;

namespace OrderDomain.Security;

/// <summary>
/// Request body limits per route: commands are small. A request whose Content-Length is over its route's
/// limit is refused with 413 before a byte of it is read; a chunked one is cut off by the server at the limit.
/// </summary>
public static class RequestBodyLimits
{
    /// <summary>A command's body: an order of 20 lines is about 4 KiB.</summary>
    public const long CommandBytes = 64 * 1024;

    /// <summary>Reads and operations take no body.</summary>
    public const long OtherBytes = 4 * 1024;

    /// <summary>The endpoint metadata the limit is declared with (routing also applies it to the server's own limit).</summary>
    public sealed record Limit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } max)
        {
            if (context.Request.ContentLength > max)
            {
                await OrderProblems.Problem(StatusCodes.Status413PayloadTooLarge, "request body too large", "request_too_large",
                        $"this route accepts a body of at most {max} bytes, the request declares {context.Request.ContentLength}")
                    .ExecuteAsync(context);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = max;
        }

        await next(context);
    });
}
