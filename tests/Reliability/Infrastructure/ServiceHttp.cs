namespace EventSourcing.Reliability.Infrastructure;

/// <summary>
/// The one place the suite creates HTTP clients for the service. When the service requires a JWT, add the
/// header here, e.g. with a token from <c>ServiceProcess.Command(connection, ["token", ...])</c>:
/// <code>client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);</code>
/// </summary>
public static class ServiceHttp
{
    public static HttpClient Create(Uri baseAddress)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        return client;
    }
}
