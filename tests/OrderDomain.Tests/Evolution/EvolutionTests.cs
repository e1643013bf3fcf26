using EventSourcing.EventStore;
using EventSourcing.EventStore.Concurrency;
using EventSourcing.OrderDomain.Tests.Http;
using EventSourcing.TestInfrastructure;
using OrderDomain.Orders;

namespace EventSourcing.OrderDomain.Tests.Evolution;

/// <summary>Events stored by an older release read, after the change, through the upcasters: in the aggregate and in search.</summary>
public sealed class EvolutionTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private static readonly DateTimeOffset Then = new(2025, 6, 1, 8, 30, 0, TimeSpan.Zero);

    /// <summary>Writes with the old release's event types into the service's event log.</summary>
    private async Task StoreBeforeTheChangeAsync(Guid id, string customer, params object[] events)
    {
        var options = new EventStoreOptions { ConnectionString = api.Postgres.ConnectionString, SchemaName = api.EventSchema };
        options.Events.Register<OrderPlacedV1>().Register<PaymentConfirmed>().Register<OrderDispatched>();
        await using var before = MartenEventStore.Create(options);
        await before.AppendAsync(id, events, ExpectedVersion.NoStream, null, CancellationToken.None);
    }

    private static OrderPlacedV1 PlacedV1(Guid id, string customer) =>
        new(id, customer, "Gita Verma", [new OrderLine("TEA-001", "Assam Tea 500g", 4, 250m)], new ShippingAddress("2 Mall Road", "Shimla", "171001", "IN"), Then);

    [Fact]
    public async Task a_v1_order_placed_reads_with_currency_inr_in_the_aggregate()
    {
        var id = Guid.NewGuid();
        await StoreBeforeTheChangeAsync(id, "cust-gita", PlacedV1(id, "cust-gita"));

        var order = await (await api.Client.GetAsync($"/orders/{id}")).JsonAsync();

        Assert.Equal("INR", order["currency"]!.GetValue<string>());
        Assert.Equal("placed", order["status"]!.GetValue<string>());
        Assert.Equal(1000m, order["total"]!.GetValue<decimal>());
        Assert.Equal(Then, order["placedAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task a_v1_order_placed_reads_with_currency_inr_in_search()
    {
        var id = Guid.NewGuid();
        await StoreBeforeTheChangeAsync(id, "cust-gita-search", PlacedV1(id, "cust-gita-search"));

        var hit = await Eventually.Until(async () =>
            {
                var result = await (await api.Client.GetAsync("/search/orders?customer=cust-gita-search")).JsonAsync();
                return result["hits"]!.AsArray().SingleOrDefault();
            },
            found => found is not null, TimeSpan.FromSeconds(60), "the v1 order in the order_search read model");

        Assert.Equal("INR", hit!["currency"]!.GetValue<string>());
        Assert.Equal(1000m, hit["total"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task a_renamed_event_stored_under_its_old_name_reads_as_the_new_one_and_the_order_can_go_on()
    {
        var id = Guid.NewGuid();
        await StoreBeforeTheChangeAsync(id, "cust-gita-ship", PlacedV1(id, "cust-gita-ship"),
            new PaymentConfirmed(id, "cust-gita-ship", 1000m, "INR", "PAY-OLD", Then.AddHours(1)),
            new OrderDispatched(id, "IndiaPost", "EE123", Then.AddDays(1)));

        var order = await (await api.Client.GetAsync($"/orders/{id}")).JsonAsync();
        Assert.Equal("shipped", order["status"]!.GetValue<string>());
        Assert.Equal(Then.AddDays(1), order["shippedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(3, order["version"]!.GetValue<long>());

        using var cancel = await api.Client.SendAsync(HttpMethod.Post, $"/orders/{id}/cancellation", new System.Text.Json.Nodes.JsonObject { ["reason"] = "late" });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal("order_shipped", (await cancel.JsonAsync())["rule"]!.GetValue<string>());

        var hit = await Eventually.Until(async () =>
            {
                var result = await (await api.Client.GetAsync("/search/orders?customer=cust-gita-ship")).JsonAsync();
                return result["hits"]!.AsArray().SingleOrDefault();
            },
            found => found?["status"]?.GetValue<string>() == "shipped", TimeSpan.FromSeconds(60), "the renamed shipping event in the order_search read model");
        Assert.Equal("INR", hit!["currency"]!.GetValue<string>());
    }
}
