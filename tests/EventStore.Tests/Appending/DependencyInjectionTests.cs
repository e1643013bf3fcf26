using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Configuration;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.TestInfrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcing.EventStore.Tests.Appending;

public sealed class DependencyInjectionTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task add_event_store_registers_a_working_store_and_marten_hooks_apply()
    {
        var hookRan = false;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEventStore(o =>
        {
            o.ConnectionString = postgres.ConnectionString;
            o.SchemaName = postgres.SchemaName;
            o.Events.Register<CounterOpened>().Register<CounterIncremented>().Register<CounterClosed>();
            o.ConfigureMarten(_ => hookRan = true);
        });
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IEventStore>();
        var id = Guid.NewGuid();
        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "di"), null, CancellationToken.None);
        var loaded = await store.LoadAsync(Counter.Decider, id, CancellationToken.None);

        Assert.True(loaded.State.Opened);
        Assert.True(hookRan);
        Assert.Same(provider.GetRequiredService<IDocumentStore>(), provider.GetRequiredService<MartenEventStore>().DocumentStore);
        Assert.Contains(store.Registry.Registrations, r => r.Name == "counter.opened" && r.ClrType == typeof(CounterOpened));
        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            store.AppendAsync(id, [new CounterOpened(id, "again")], ExpectedVersion.NoStream, null, CancellationToken.None));
    }

    [Fact]
    public void add_event_store_validates_options_at_startup()
    {
        var services = new ServiceCollection();
        var error = Assert.Throws<InvalidOperationException>(() => services.AddEventStore(o => o.SchemaName = "x"));
        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
    }
}
