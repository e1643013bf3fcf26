using System.Globalization;
using OrderDomain.Hosting;

namespace OrderDomain.Security;

/// <summary>
/// <c>OrderDomain token --roles orders:read,orders:write [--lifetime 8h] [--subject NAME] [--client-id ID]</c>:
/// prints a bearer token signed with the key this machine holds (the development key under <c>.local/</c>,
/// or <c>Orders:Auth:SigningKey</c> when configured). With an authority configured, tokens come from it.
/// </summary>
public static class TokenCommand
{
    public const string Usage = """
        usage: OrderDomain token --roles ROLE[,ROLE...] [--lifetime 1h] [--subject NAME] [--client-id ID]

        Prints a bearer token for a caller holding the roles asked for, signed with the development key in
        .local/orderdomain-signing-key (created on first use) or with Orders__Auth__SigningKey when that is set.
          --roles      comma-separated: orders:read, orders:write, operations
          --lifetime   how long the token is valid: 90s, 30m, 8h, 7d (default 1h, at most 30d)
          --subject    who the caller is, recorded on every event it causes (default: the OS user name)
          --client-id  the client a service token is issued to, recorded beside the subject
        Use it as: curl -H "Authorization: Bearer $(OrderDomain token --roles orders:read)" http://127.0.0.1:5080/search/orders
        """;

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    public static Task<int> RunAsync(string[] args, TextWriter output, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Contains("--help") || args.Contains("-h"))
            return Print(output, Usage);

        var request = Parse(args);
        var options = OrderAuthOptions.From(configuration);
        var issuer = TokenIssuer.For(options, TimeProvider.System)
                     ?? throw new InvalidSettingException($"{OrderAuthOptions.Section}:Authority is set: tokens come from that authority, this command only signs with the development key or {OrderAuthOptions.Section}:SigningKey");
        return Print(output, issuer.Issue(request.Subject, request.Roles, request.Lifetime, request.ClientId));
    }

    public static Task<int> RunAsync(string[] args) =>
        RunAsync(args, Console.Out, new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build());

    public sealed record Request(IReadOnlyList<string> Roles, TimeSpan Lifetime, string Subject, string? ClientId);

    public static Request Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        IReadOnlyList<string>? roles = null;
        var lifetime = DefaultLifetime;
        var subject = Environment.UserName;
        string? clientId = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[++i] : throw new UsageException($"{name} needs a value");
            switch (name)
            {
                case "--roles":
                    roles = ParseRoles(value);
                    break;
                case "--lifetime":
                    lifetime = ParseLifetime(value);
                    break;
                case "--subject":
                    subject = string.IsNullOrWhiteSpace(value) || value.Length > 200 ? throw new UsageException("--subject must be 1 to 200 characters") : value;
                    break;
                case "--client-id":
                    clientId = string.IsNullOrWhiteSpace(value) || value.Length > 200 ? throw new UsageException("--client-id must be 1 to 200 characters") : value;
                    break;
                default:
                    throw new UsageException($"unknown argument '{name}'");
            }
        }

        return new Request(roles ?? throw new UsageException($"--roles is required: one or more of {string.Join(", ", OrderRoles.All)}"), lifetime, subject, clientId);
    }

    private static IReadOnlyList<string> ParseRoles(string value)
    {
        var roles = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (roles.Count == 0)
            throw new UsageException($"--roles needs one or more of {string.Join(", ", OrderRoles.All)}");
        foreach (var role in roles.Where(r => !OrderRoles.All.Contains(r, StringComparer.Ordinal)))
            throw new UsageException($"unknown role '{role}' in --roles; the roles are {string.Join(", ", OrderRoles.All)}");
        return roles;
    }

    public static TimeSpan ParseLifetime(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        TimeSpan? lifetime = value.Length >= 2 && long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1_000_000
            ? value[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            }
            : null;
        return lifetime is { } valid && valid <= TokenIssuer.MaxLifetime
            ? valid
            : throw new UsageException($"--lifetime must be a number and a unit (s, m, h, d) of at most {TokenIssuer.MaxLifetime.TotalDays:0}d, such as 8h; got '{value}'");
    }

    private static async Task<int> Print(TextWriter output, string text)
    {
        await output.WriteLineAsync(text);
        return 0;
    }
}
