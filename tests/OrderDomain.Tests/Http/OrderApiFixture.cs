using System.Net.Http.Headers;
using EventSourcing.EventStore;
using EventSourcing.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrderDomain.Orders.Http;
using OrderDomain.Security;

namespace EventSourcing.OrderDomain.Tests.Http;

/// <summary>
/// The real order service (Program, Wolverine endpoints, event store, projection host) in memory, on the
/// real PostgreSQL server, in schemas of its own that are dropped afterwards. It runs on a development
/// signing key of its own (a temporary file); <see cref="Client"/> sends a token holding every role.
/// The rate limit is off unless a derived fixture turns it on (<see cref="Configure"/>).
/// </summary>
public class OrderApiFixture : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private WebApplicationFactory<Program>? _factory;

    /// <summary>A client whose token holds every role (subject <see cref="Subject"/>).</summary>
    public HttpClient Client { get; private set; } = null!;

    public const string Subject = "test-client";

    public IServiceProvider Services => _factory!.Services;

    public PostgresFixture Postgres => _postgres;

    public string EventSchema { get; private set; } = "";

    public string ReadModelSchema { get; private set; } = "";

    /// <summary>The development key file this service signs and validates with.</summary>
    public string KeyFile { get; } = Path.Combine(Path.GetTempPath(), $"orderdomain-test-key-{Guid.NewGuid():N}");

    /// <summary>The clock commands are stamped with; the real time unless a test sets it.</summary>
    public SettableClock Clock { get; } = new();

    /// <summary>Issues tokens the service accepts.</summary>
    public TokenIssuer Issuer => Services.GetRequiredService<TokenIssuer>();

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        EventSchema = _postgres.SchemaName;
        ReadModelSchema = _postgres.NewSchemaName();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder
                .UseEnvironment("Development")
                .UseSetting("urls", "http://127.0.0.1:5080")
                .UseSetting("Orders:ConnectionString", _postgres.ConnectionString)
                .UseSetting("Orders:EventSchema", EventSchema)
                .UseSetting("Orders:ReadModelSchema", ReadModelSchema)
                .UseSetting("Orders:Auth:DevelopmentKeyFile", KeyFile)
                .UseSetting("Orders:RateLimit:PermitsPerSecond", "0")
                .ConfigureTestServices(services =>
                    services.AddSingleton(sp => new OrderCommands(sp.GetRequiredService<IEventStore>(), Clock, sp.GetRequiredService<CommandActor>())));
            Configure(builder);
        });
        Client = CreateClient(Token(Subject, [.. OrderRoles.All]));
        await SeedAsync();
    }

    /// <summary>Settings a derived fixture adds (they override the defaults above).</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    /// <summary>A token for <paramref name="subject"/> with <paramref name="roles"/>, valid for an hour.</summary>
    public string Token(string subject, string[] roles, string? clientId = null) => Issuer.Issue(subject, roles, TimeSpan.FromHours(1), clientId);

    /// <summary>A client of the service that sends <paramref name="token"/> as its bearer token (none when null).</summary>
    public HttpClient CreateClient(string? token)
    {
        var client = _factory!.CreateClient();
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Data a derived fixture puts in before the tests of its class run.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_factory is not null)
            await _factory.DisposeAsync();
        await _postgres.DisposeAsync();
        File.Delete(KeyFile);
    }
}
