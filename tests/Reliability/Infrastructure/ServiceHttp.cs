using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace EventSourcing.Reliability.Infrastructure;

/// <summary>
/// The one place the suite creates HTTP clients for the service. The service requires a JWT: the suite asks the
/// sample's own <c>token</c> command for one with every role (signed with the suite's development key, see
/// <see cref="ServiceProcess"/>), once, when the first scenario starts, and every client sends it.
/// </summary>
public static partial class ServiceHttp
{
    private static string? _token;

    /// <summary>Issues the suite's token through <c>OrderDomain token</c> (once per test run).</summary>
    public static async Task EnsureTokenAsync(string connectionString)
    {
        if (Volatile.Read(ref _token) is not null)
            return;
        await using var command = ServiceProcess.Command(connectionString, ["token", "--roles", "orders:read,orders:write,operations", "--lifetime", "8h"]);
        var exit = await command.WaitAsync(TimeSpan.FromSeconds(60));
        var token = command.RecentOutput.Split('\n').Select(l => l.Trim()).LastOrDefault(l => Jwt().IsMatch(l));
        if (exit != 0 || token is null)
            throw new InvalidOperationException($"'OrderDomain token' exited {exit} without a token:\n{command.RecentOutput}");
        Volatile.Write(ref _token, token);
    }

    public static HttpClient Create(Uri baseAddress)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Volatile.Read(ref _token) ?? throw new InvalidOperationException("no token yet: Scenario.StartAsync issues it before the first service starts"));
        return client;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")]
    private static partial Regex Jwt();
}
