using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OrderDomain.Orders.Http;

/// <summary>
/// The JSON body an endpoint reads itself (with <see cref="JsonBody"/>, so that every failure is the API's own
/// problem): <see cref="Describe"/> puts it in the OpenAPI document as the operation's request body.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class JsonBodyAttribute(Type requestType) : Attribute
{
    public Type RequestType { get; } = requestType;

    public static async Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonBodyAttribute>().FirstOrDefault() is not { } body)
            return;
        var schema = await context.GetOrCreateSchemaAsync(body.RequestType, null, ct);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/json"] = new() { Schema = schema } },
        };
    }
}
