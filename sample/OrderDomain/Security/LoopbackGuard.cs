using System.Net;
using OrderDomain.Hosting;

namespace OrderDomain.Security;

/// <summary>
/// Secure by default: on the development key (no authentication configured) the service listens on
/// loopback addresses only. Reads the addresses Kestrel would bind from configuration (<c>urls</c> /
/// <c>--urls</c> / ASPNETCORE_URLS, <c>http_ports</c> / <c>https_ports</c>, <c>Kestrel:Endpoints:*:Url</c>;
/// none = http://localhost:5000) and refuses any other address unless <c>Orders:Auth:Insecure</c> is set.
/// </summary>
public static class LoopbackGuard
{
    /// <summary>The configured addresses that are not loopback (wildcards and host names count as not loopback).</summary>
    public static IReadOnlyList<string> NonLoopbackAddresses(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var addresses = new List<string>();
        if (configuration["urls"] is { Length: > 0 } urls)
            addresses.AddRange(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        else
        {
            // without urls, Kestrel binds every interface on these ports
            foreach (var (key, scheme) in new[] { ("http_ports", "http"), ("https_ports", "https") })
            {
                if (configuration[key] is { Length: > 0 } ports)
                    addresses.AddRange(ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"{scheme}://*:{p}"));
            }
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
                addresses.Add(url);
        }

        return [.. addresses.Where(a => !IsLoopback(a))];
    }

    public static bool IsLoopback(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        BindingAddress parsed;
        try
        {
            parsed = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }

        if (parsed.IsUnixPipe)
            return true;
        var host = parsed.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
               || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>
    /// Throws <see cref="InvalidSettingException"/> when the service would accept development tokens on a
    /// non-loopback address without <c>Orders:Auth:Insecure</c>; returns the addresses it accepts them on anyway.
    /// </summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration, OrderAuthOptions auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        if (!auth.IsDevelopment)
            return [];
        var exposed = NonLoopbackAddresses(configuration);
        if (exposed.Count > 0 && !auth.Insecure)
            throw new InvalidSettingException(
                $"no authentication is configured ({OrderAuthOptions.Section}:Authority or {OrderAuthOptions.Section}:SigningKey), so the service " +
                $"runs on its development key and listens on loopback addresses only, but it was asked to listen on {string.Join(", ", exposed)}. " +
                $"Configure authentication, listen on http://127.0.0.1:<port>, or accept the risk with {OrderAuthOptions.Section}:Insecure=true (serve --insecure)");
        return exposed;
    }
}
