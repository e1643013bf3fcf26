namespace OrderDomain.Security;

/// <summary>Authentication, authorisation, rate limiting and body limits, composed into the order service.</summary>
public static class SecurityRegistration
{
    /// <summary>Reads and validates <c>Orders:Auth</c> and <c>Orders:RateLimit</c>, refuses a non-loopback address on the development key, and registers the services.</summary>
    public static IReadOnlyList<string> AddOrderSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var auth = OrderAuthOptions.From(builder.Configuration);
        var exposed = LoopbackGuard.Check(builder.Configuration, auth);
        builder.Services.AddOrderAuthentication(auth);
        builder.Services.AddCommandRateLimit(RateLimitOptions.From(builder.Configuration));
        return exposed;
    }

    /// <summary>The middleware, in order: who is calling, may they, are they over their rate, is the body too large.</summary>
    public static WebApplication UseOrderSecurity(this WebApplication app, IReadOnlyList<string> exposed)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(exposed);
        if (exposed.Count > 0)
            app.Logger.LogWarning("{Setting}=true: the service accepts tokens signed with its development key on {Addresses}; anyone who can read that key can act with every role. Configure {Section}:Authority or {Section}:SigningKey outside development",
                OrderAuthOptions.Section + ":Insecure", string.Join(", ", exposed), OrderAuthOptions.Section, OrderAuthOptions.Section);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseRequestBodyLimits();
        return app;
    }
}
