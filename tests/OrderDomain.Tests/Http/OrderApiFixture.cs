using EventSourcing.EventStore;
using EventSourcing.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrderDomain.Orders.Http;

namespace EventSourcing.OrderDomain.Tests.Http;

/// <summary>
/// The real order service (Program, Wolverine endpoints, event store, projection host) in memory, on the
/// real PostgreSQL server, in schemas of its own that are dropped afterwards.
/// </summary>
public class OrderApiFixture : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private WebApplicationFactory<Program>? _factory;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    public PostgresFixture Postgres => _postgres;

    public string EventSchema { get; private set; } = "";

    public string ReadModelSchema { get; private set; } = "";

    /// <summary>The clock commands are stamped with; the real time unless a test sets it.</summary>
    public SettableClock Clock { get; } = new();

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        EventSchema = _postgres.SchemaName;
        ReadModelSchema = _postgres.NewSchemaName();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseEnvironment("Development")
            .UseSetting("Orders:ConnectionString", _postgres.ConnectionString)
            .UseSetting("Orders:EventSchema", EventSchema)
            .UseSetting("Orders:ReadModelSchema", ReadModelSchema)
            .ConfigureTestServices(services =>
                services.AddSingleton(sp => new OrderCommands(sp.GetRequiredService<IEventStore>(), Clock))));
        Client = _factory.CreateClient();
        await SeedAsync();
    }

    /// <summary>Data a derived fixture puts in before the tests of its class run.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_factory is not null)
            await _factory.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
