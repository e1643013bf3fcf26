using EventSourcing.EventStore;
using OrderDomain.Orders;

namespace OrderDomain.Hosting;

/// <summary>The event store with the order events and their upcasters registered.</summary>
public static class EventStoreRegistration
{
    public static EventStoreOptions CreateEventStoreOptions(OrderServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new EventStoreOptions { ConnectionString = options.ConnectionString, SchemaName = options.EventSchema };
        store.Events.RegisterOrderEvents();
        return store;
    }

    public static IServiceCollection AddEventStoreForOrders(this IServiceCollection services)
    {
        services.AddSingleton(sp => MartenEventStore.Create(CreateEventStoreOptions(sp.GetRequiredService<OrderServiceOptions>())));
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<MartenEventStore>());
        return services;
    }
}
