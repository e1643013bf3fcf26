using EventSourcing.Projections.Sinks.Elasticsearch;
using Npgsql;
using OrderDomain.Health;
using OrderDomain.Idempotency;
using OrderDomain.Orders.Http;
using OrderDomain.Search;
using OrderDomain.Security;
using Wolverine;
using Wolverine.Http;

namespace OrderDomain.Hosting;

/// <summary>Composes the order service: security, event store, projection host, search, Wolverine HTTP endpoints, OpenAPI, health.</summary>
public static class OrderService
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The service has HTTP endpoints and no message handlers, by design: Wolverine's "found no handlers" is noise here.
        builder.Logging.AddFilter("Wolverine.Configuration.HandlerDiscovery", LogLevel.Error);
        // Marten logs a failed command with its stack trace, and the exception reaches the request's exception
        // handler, which logs it again: one stack trace per server error is enough (docs/security.md).
        builder.Logging.AddFilter("Marten.IDocumentStore", LogLevel.Critical);
        configure?.Invoke(builder);
        var exposed = builder.AddOrderSecurity();
        builder.Services.AddOrderService(OrderServiceOptions.From(builder.Configuration));
        builder.Host.UseWolverine(options =>
        {
            options.ApplicationAssembly = typeof(OrderService).Assembly;
            options.Discovery.DisableConventionalDiscovery();
        });

        var app = builder.Build();
        // problem details first (every later 4xx gets a body), then who the caller is, then idempotency scoped to that caller
        app.UseOrderProblemDetails();
        app.UseOrderSecurity(exposed);
        app.MapOpenApi().RequireAuthorization(OrderRoles.Read);
        app.UseOrderIdempotency();
        app.MapWolverineEndpoints(EndpointSecurity.Apply);
        app.MapOrderHealth();
        return app;
    }

    public static IServiceCollection AddOrderService(this IServiceCollection services, OrderServiceOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddOrderEventStore(options);
        services.AddSingleton<OrderCommands>();
        services.AddSingleton<ProjectionStatusSource>();
        services.AddOrderIdempotency(options);
        services.AddSingleton(_ => new ReadModelDatabase(NpgsqlDataSource.Create(options.ConnectionString)));
        services.AddSingleton(new OrderSearchStore(options.ReadModelSchema));
        if (options.ElasticsearchUrl is { } url)
        {
            services.AddSingleton(_ => ElasticsearchClientFactory.Create(new ElasticsearchOptions { Urls = [url] }));
            services.AddSingleton<IOrderSearch, ElasticsearchOrderSearch>();
        }
        else
        {
            services.AddSingleton<IOrderSearch, PostgresOrderSearch>();
        }

        services.AddWolverineHttp();
        services.AddOpenApi(openApi => openApi.AddOperationTransformer(JsonBodyAttribute.Describe).AddBearerSecurity());
        services.AddOrderProblemDetails();
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<ReadModelSinkHealthCheck>("read-model-sink", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<ProjectionLagHealthCheck>("projection-lag", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<DeadLetterHealthCheck>("dead-letters", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }
}
