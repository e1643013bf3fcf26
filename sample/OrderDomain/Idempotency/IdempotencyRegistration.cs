using Microsoft.Extensions.Options;
using OrderDomain.Hosting;

namespace OrderDomain.Idempotency;

/// <summary>Adds the recorded-answer idempotency of the order commands (<see cref="IdempotencyMiddleware"/>).</summary>
public static class IdempotencyRegistration
{
    public static IServiceCollection AddOrderIdempotency(this IServiceCollection services, OrderServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddOptions<IdempotencyOptions>()
            .BindConfiguration(IdempotencyOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdempotencyOptions>, NamedValidation>();
        services.AddSingleton(sp => new IdempotencyRecordStore(options.ConnectionString, options.EventSchema,
            sp.GetRequiredService<IOptions<IdempotencyOptions>>().Value));
        return services;
    }

    /// <summary>Runs after authentication, authorisation and rate limiting (so their answers are never recorded), before the endpoints.</summary>
    public static IApplicationBuilder UseOrderIdempotency(this IApplicationBuilder app) => app.UseMiddleware<IdempotencyMiddleware>();

    private sealed class NamedValidation : IValidateOptions<IdempotencyOptions>
    {
        public ValidateOptionsResult Validate(string? name, IdempotencyOptions options) =>
            options.Invalid() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
