using EventSourcing.EventStore;
using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderDomain.Hosting;
using OrderDomain.Orders;

namespace EventSourcing.Cluster.Tests;

/// <summary>
/// Appends orders straight through the event store (the sample's registration and event types, no HTTP) from a seeded
/// random source, and remembers every append the store acknowledged.
/// </summary>
internal sealed class OrderWriter : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IEventStore _store;
    private readonly Random _random;
    private readonly List<Guid> _acknowledged = [];

    public OrderWriter(OrderServiceOptions options, int seed)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEventStore(store => EventStoreRegistration.Configure(store, options));
        _services = services.BuildServiceProvider();
        _store = _services.GetRequiredService<IEventStore>();
        _random = new Random(seed);
    }

    public IReadOnlyList<Guid> Acknowledged
    {
        get { lock (_acknowledged) return [.. _acknowledged]; }
    }

    /// <summary>One order placed, and paid two times in three.</summary>
    public async Task PlaceAsync(CancellationToken ct)
    {
        var id = Guid.NewGuid();
        var customer = $"customer-{_random.Next(20)}";
        var amount = _random.Next(1, 500);
        var at = DateTimeOffset.UtcNow;
        List<object> events = [new OrderPlaced(id, customer, "Customer " + customer, [new OrderLine("SKU-1", "Widget", 1, amount)],
            new ShippingAddress("1 Main St", "Pune", "411001", "IN"), at, "INR")];
        if (_random.Next(3) > 0)
            events.Add(new PaymentConfirmed(id, customer, amount, "INR", "pay-" + id.ToString("N")[..8], at));
        await _store.AppendAsync(id, events, ExpectedVersion.NoStream, null, ct);
        lock (_acknowledged)
            _acknowledged.Add(id);
    }

    /// <summary>Appends until stopped; failed appends (none expected) surface when the task is awaited.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await PlaceAsync(ct);
                using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
                await pace.WaitForNextTickAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
