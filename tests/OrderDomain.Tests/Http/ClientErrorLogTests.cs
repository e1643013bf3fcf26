using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventSourcing.OrderDomain.Tests.Http;

/// <summary>Every entry the service logs, with its level and whether it carries an exception (a stack trace).</summary>
public sealed class LoggingOrderApiFixture : OrderApiFixture
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Error)> Entries { get; } = new();

    protected override void Configure(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(new Provider(Entries))));

    private sealed class Provider(ConcurrentQueue<(string, LogLevel, string, Exception?)> entries) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string, Exception?)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((category, logLevel, formatter(state, exception), exception));
    }
}

public sealed class ClientErrorLogTests(LoggingOrderApiFixture api) : IClassFixture<LoggingOrderApiFixture>
{
    [Fact]
    public async Task a_flood_of_malformed_requests_logs_one_line_each_at_information_and_no_stack_trace()
    {
        string[] bodies = ["{", "{\"customerId\":\"a\u0000b\"}", "[1,2,3]", "{\"quantity\":\"5\"}", "not json at all", "{\"lines\":[{\"unitPrice\":1e400}]}"];
        api.Entries.Clear();
        foreach (var body in bodies)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await api.Client.PostAsync(new Uri("/orders", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var entries = api.Entries.ToList();
        Assert.DoesNotContain(entries, e => e.Error is not null || e.Message.Contains("   at ", StringComparison.Ordinal));
        // the in-memory test server cannot set a request body limit (its feature is read-only) and says so once a request; Kestrel can
        entries.RemoveAll(e => e.Message.StartsWith("A request body size limit could not be applied", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Warning && (e.Category.StartsWith("OrderDomain", StringComparison.Ordinal)
            || e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || e.Category.StartsWith("Wolverine.Http", StringComparison.Ordinal)));
        var clientErrors = entries.Where(e => e.Category == "OrderDomain.Problems").ToList();
        Assert.Equal(bodies.Length, clientErrors.Count);
        Assert.All(clientErrors, e => Assert.Equal(LogLevel.Information, e.Level));
    }
}
