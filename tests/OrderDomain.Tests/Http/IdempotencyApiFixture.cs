using OrderDomain.Security;
using System.Collections.Concurrent;
using EventSourcing.EventStore;
using EventSourcing.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderDomain.Orders.Http;

namespace EventSourcing.OrderDomain.Tests.Http;

/// <summary>
/// The real order service with its commands behind a <see cref="CommandGate"/> (so a test decides when the first
/// request of a key finishes), a chosen bound on how long a duplicate waits, and the idempotency log captured.
/// </summary>
public abstract class IdempotencyApiFixture(TimeSpan waitTimeout) : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"orderdomain-test-key-{Guid.NewGuid():N}");
    private WebApplicationFactory<Program>? _factory;

    public HttpClient Client { get; private set; } = null!;

    public CommandGate Gate { get; } = new();

    public PostgresFixture Postgres => _postgres;

    public string EventSchema => _postgres.SchemaName;

    /// <summary>Messages logged by the idempotency middleware.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseEnvironment("Development")
            .UseSetting("Orders:ConnectionString", _postgres.ConnectionString)
            .UseSetting("Orders:EventSchema", EventSchema)
            .UseSetting("Orders:ReadModelSchema", _postgres.NewSchemaName())
            .UseSetting("Orders:RunProjections", "false")
            .UseSetting("Orders:Auth:DevelopmentKeyFile", _keyFile)
            .UseSetting("Orders:RateLimit:PermitsPerSecond", "0")
            .UseSetting("Orders:Idempotency:WaitTimeout", waitTimeout.ToString("c"))
            .UseSetting("Orders:Idempotency:Lease", (waitTimeout + TimeSpan.FromMinutes(1)).ToString("c"))
            .UseSetting("Logging:LogLevel:OrderDomain.Idempotency", "Debug")
            .ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Log)))
            .ConfigureTestServices(services => services.AddSingleton(sp =>
                new OrderCommands(new GatedEventStore(sp.GetRequiredService<IEventStore>(), Gate), TimeProvider.System, sp.GetRequiredService<CommandActor>()))));
        Client = _factory.CreateClient();
        var token = _factory.Services.GetRequiredService<TokenIssuer>().Issue("idempotency-test", [.. OrderRoles.All], TimeSpan.FromHours(1), null);
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_factory is not null)
            await _factory.DisposeAsync();
        await _postgres.DisposeAsync();
        File.Delete(_keyFile);
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName.StartsWith("OrderDomain.Idempotency", StringComparison.Ordinal) ? new Logger(log) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log.Enqueue(formatter(state, exception));
        }
    }
}

/// <summary>A duplicate waits at most 300 ms for the request in flight.</summary>
public sealed class ShortWaitIdempotencyApiFixture() : IdempotencyApiFixture(TimeSpan.FromMilliseconds(300));

/// <summary>A duplicate waits up to 60 s for the request in flight.</summary>
public sealed class LongWaitIdempotencyApiFixture() : IdempotencyApiFixture(TimeSpan.FromSeconds(60));
