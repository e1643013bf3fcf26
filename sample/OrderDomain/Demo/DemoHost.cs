using OrderDomain.Hosting;

namespace OrderDomain.Demo;

/// <summary>Starts the order service (HTTP API and projection host) in this process for the demo and the load generator.</summary>
public static class DemoHost
{
    public static async Task<WebApplication> StartAsync(Uri url, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        var app = OrderService.Build(["--urls", url.ToString().TrimEnd('/')], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        });
        await app.StartAsync(ct);
        return app;
    }

    public static HttpClient Client(Uri url) => new() { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
}
