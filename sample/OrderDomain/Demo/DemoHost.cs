using OrderDomain.Hosting;
using OrderDomain.Security;

namespace OrderDomain.Demo;

/// <summary>Starts the order service (HTTP API and projection host) in this process for the demo and the load generator.</summary>
public static class DemoHost
{
    public static async Task<WebApplication> StartAsync(Uri url, CancellationToken ct, IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var app = OrderService.Build(["--urls", url.ToString().TrimEnd('/')], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
            if (settings is not null)
                builder.Configuration.AddInMemoryCollection(settings);
        });
        await app.StartAsync(ct);
        return app;
    }

    /// <summary>An HTTP client of the service that sends <paramref name="token"/> as its bearer token.</summary>
    public static HttpClient Client(Uri url, string token)
    {
        var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// A token the service in this process accepts, issued with its own key (the development key, or
    /// Orders:Auth:SigningKey): the demo and the load generator are clients like any other.
    /// </summary>
    public static string Token(WebApplication app, string subject, string clientId, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(app);
        var issuer = app.Services.GetService<TokenIssuer>()
                     ?? throw new InvalidSettingException($"{OrderAuthOptions.Section}:Authority is set, so this process holds no key to issue the demo's own tokens; run the demo without it (on the development key) or with {OrderAuthOptions.Section}:SigningKey");
        return issuer.Issue(subject, roles, TimeSpan.FromHours(12), clientId);
    }
}
