using Npgsql;
using OrderDomain.Health;
using OrderDomain.Orders.Http;
using OrderDomain.Search;
using Wolverine;
using Wolverine.Http;

namespace OrderDomain.Hosting;

/// <summary>Composes the order service: event store, projection host, search, Wolverine HTTP endpoints, OpenAPI, health.</summary>
public static class OrderService
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.AddOrderService();
        builder.Host.UseWolverine(options =>
        {
            options.ApplicationAssembly = typeof(OrderService).Assembly;
            options.Discovery.DisableConventionalDiscovery();
        });

        var app = builder.Build();
        app.MapOpenApi();
        app.MapWolverineEndpoints();
        app.MapOrderHealth();
        return app;
    }

    public static IServiceCollection AddOrderService(this IServiceCollection services)
    {
        services.AddSingleton(sp => OrderServiceOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(TimeProvider.System);
        services.AddEventStoreForOrders();
        services.AddSingleton<OrderCommands>();
        services.AddSingleton(sp => new ReadModelDatabase(NpgsqlDataSource.Create(sp.GetRequiredService<OrderServiceOptions>().ConnectionString)));
        services.AddSingleton(sp => new OrderSearchStore(sp.GetRequiredService<OrderServiceOptions>().ReadModelSchema));
        services.AddSingleton<IOrderSearch, PostgresOrderSearch>();
        services.AddWolverineHttp();
        services.AddOpenApi();
        services.AddProblemDetails();
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }
}
