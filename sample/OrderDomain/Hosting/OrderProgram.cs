using EventSourcing.Projections.Cli;

namespace OrderDomain.Hosting;

/// <summary>
/// The sample's commands: <c>serve</c> (default) runs the order service, <c>demo</c> runs the guided
/// demo, <c>load</c> runs the load generator. Bad arguments exit with code 2 and a message.
/// </summary>
public static class OrderProgram
{
    public const string Usage = """
        OrderDomain: an event-sourced order service with order search.

        usage:
          OrderDomain [serve] [--urls http://localhost:5080] [--insecure]
                                                               run the service (HTTP API + projection host); --insecure lets it
                                                               listen beyond loopback on its development key (never in production)
          OrderDomain demo [--serve] [--orders N]              place realistic orders, wait for the read models, run searches
          OrderDomain load [--orders N] [--clients M]          load generator: throughput and latencies
          OrderDomain projections status|rebuild|dead-letters  the projections CLI on the sample's read models (--help)
          OrderDomain token --roles orders:read,orders:write,operations [--lifetime 8h]
                                                               print a bearer token signed with the development key (--help)

        exit codes: 0 ok, 1 failed, 2 bad arguments or settings (the message names which)

        settings (environment or appsettings, section Orders):
          POSTGRES_CONNECTION or Orders__ConnectionString       PostgreSQL connection string (required)
          Orders__EventSchema (orders), Orders__ReadModelSchema (orders_read)
          Orders__ElasticsearchUrl                              serve search from Elasticsearch instead of PostgreSQL
          Orders__MaxProjectionLag (1000)                       /health/ready fails above this many events of lag
          Orders__Auth__Authority, __Audience                   validate tokens from an OpenID Connect authority, or
          Orders__Auth__SigningKey, __Issuer, __Audience        with a shared HS256 key (base64, 32+ bytes); neither = the
                                                               development key in .local/, loopback only (docs/security.md)
          Orders__RateLimit__PermitsPerSecond (500), __Burst (1000) commands per caller; 0 turns the limit off
        """;

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        try
        {
            switch (command)
            {
                case "serve":
                    if (rest.Contains("--help") || rest.Contains("-h"))
                        return Help();
                    await using (var app = OrderService.Build([.. rest.Select(a => a == "--insecure" ? "--Orders:Auth:Insecure=true" : a)]))
                        await app.RunAsync(ct);
                    return 0;
                case "demo":
                    return await Demo.DemoCommand.RunAsync(rest, ct);
                case "load":
                    return await Load.LoadCommand.RunAsync(rest, ct);
                case "token":
                    return await Security.TokenCommand.RunAsync(rest);
                case "projections":
                    return await ProjectionsCli.RunAsync(rest, ConfigureProjections, ct);
                case "help" or "--help" or "-h":
                    return Help();
                default:
                    await Console.Error.WriteLineAsync($"unknown command '{command}'; expected serve, demo, load, projections or token\n\n{Usage}");
                    return 2;
            }
        }
        catch (InvalidSettingException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n\n{Usage}");
            return 2;
        }
    }

    /// <summary>The sample's registrations for the projections CLI; a bad setting ends the command with exit code 2.</summary>
    public static void ConfigureProjections(HostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = OrderServiceOptions.From(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddOrderEventStore(options);
    }

    private static int Help()
    {
        Console.WriteLine(Usage);
        return 0;
    }
}

/// <summary>Bad command-line arguments: the program prints the message and the usage, and exits with 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }

    public UsageException() { }

    public UsageException(string message, Exception innerException) : base(message, innerException) { }
}
