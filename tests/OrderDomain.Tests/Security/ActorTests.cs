using System.Net;
using System.Text.Json.Nodes;
using EventSourcing.EventStore;
using EventSourcing.OrderDomain.Tests.Http;
using Microsoft.Extensions.DependencyInjection;
using OrderDomain.Security;

namespace EventSourcing.OrderDomain.Tests.Security;

public sealed class ActorTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    [Fact]
    public async Task each_event_records_the_subject_and_client_that_caused_it()
    {
        using var shop = api.CreateClient(api.Token("alice", [OrderRoles.Write], clientId: "shop-web"));
        using var clerk = api.CreateClient(api.Token("bob", [OrderRoles.Write]));
        var id = await shop.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
        using (var paid = await clerk.SendAsync(HttpMethod.Post, $"/orders/{id}/payment", new JsonObject { ["amount"] = 500m, ["paymentReference"] = "UPI-1" }))
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);

        var events = await api.Services.GetRequiredService<IEventStore>().ReadStreamAsync(id, 0, CancellationToken.None);

        Assert.Equal(2, events.Count);
        Assert.Equal("alice", ActorHeaders.Read(events[0].Headers, ActorHeaders.Actor));
        Assert.Equal("shop-web", ActorHeaders.Read(events[0].Headers, ActorHeaders.ClientId));
        Assert.Equal("bob", ActorHeaders.Read(events[1].Headers, ActorHeaders.Actor));
        Assert.Null(ActorHeaders.Read(events[1].Headers, ActorHeaders.ClientId));
    }

    [Fact]
    public async Task the_event_history_shows_type_version_time_and_actor_of_each_event()
    {
        using var shop = api.CreateClient(api.Token("alice", [OrderRoles.Write], clientId: "shop-web"));
        using var auditor = api.CreateClient(api.Token("auditor", [OrderRoles.Read]));
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var id = await shop.PlaceAsync(Api.NewOrder(Guid.NewGuid()));
        using (var cancelled = await api.Client.SendAsync(HttpMethod.Post, $"/orders/{id}/cancellation", new JsonObject { ["reason"] = "changed mind" }))
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

        using var response = await auditor.GetAsync($"/orders/{id}/events");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var events = body["events"]!.AsArray();

        Assert.Equal(id, body["orderId"]!.GetValue<Guid>());
        Assert.Equal(["order.placed", "order.cancelled"], events.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal([1L, 2L], events.Select(e => e!["version"]!.GetValue<long>()));
        Assert.Equal(["alice", OrderApiFixture.Subject], events.Select(e => e!["actor"]!.GetValue<string>()));
        Assert.Equal("shop-web", events[0]!["clientId"]!.GetValue<string>());
        Assert.All(events, e => Assert.InRange(e!["time"]!.GetValue<DateTimeOffset>(), before, DateTimeOffset.UtcNow.AddSeconds(5)));
    }

    [Fact]
    public async Task the_event_history_of_an_unknown_order_is_a_404()
    {
        using var response = await api.Client.GetAsync($"/orders/{Guid.NewGuid()}/events");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("order_not_found", (await response.JsonAsync())["rule"]!.GetValue<string>());
    }
}
