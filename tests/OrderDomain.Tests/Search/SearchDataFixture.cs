using System.Text.Json.Nodes;
using EventSourcing.OrderDomain.Tests.Http;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.OrderDomain.Tests.Search;

/// <summary>
/// The order service with a known data set placed through the HTTP API, one order a day from <see cref="T0"/>,
/// and the read models caught up before any test runs.
/// </summary>
public sealed class SearchDataFixture : OrderApiFixture
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Orders by number (1-8), in the order they were placed.</summary>
    public Dictionary<int, Guid> Orders { get; } = [];

    protected override async Task SeedAsync()
    {
        await Place(1, "cust-asha", "Asha Rao", "Bengaluru", "INR", [("TEA-001", "Assam Tea 500g", 2, 250m)], pay: 500m, ship: true);
        await Place(2, "cust-asha", "Asha Rao", "Bengaluru", "INR", [("MUG-002", "Stoneware Mug", 1, 399m)]);
        await Place(3, "cust-vikram", "Vikram Singh", "Mumbai", "INR", [("TEA-010", "Darjeeling Tea", 1, 600m), ("MUG-002", "Stoneware Mug", 2, 399m)], pay: 1398m);
        await Place(4, "cust-meera", "Meera Iyer", "Chennai", "INR", [("COF-001", "Filter Coffee", 3, 180m)], cancel: true);
        await Place(5, "cust-john", "John O'Brien", "Dublin", "EUR", [("TEA-020", "Irish Breakfast Tea", 1, 12m)]);
        await Place(6, "cust-priya", "Priya Nair", "Kochi", "INR", [("SPC-001", "Spice Box", 1, 1200m)], pay: 1200m, ship: true);
        await Place(7, "cust-rahul", "Rahul Gupta", "Delhi", "INR", [("TEA-001", "Assam Tea 500g", 10, 250m)], pay: 2500m);
        await Place(8, "cust-sara", "Sara Khan", "Mumbai", "INR", [("NTB-001", "Cotton Notebook", 5, 90m)]);
        Clock.Set(null);

        await Eventually.Until(async () =>
        {
            using var response = await Client.GetAsync("/search/orders?status=shipped");
            var json = await response.JsonAsync();
            return json["total"]!.GetValue<long>() == 2 && json["statusFacets"]!["cancelled"]!.GetValue<long>() == 1
                   && json["statusFacets"]!["paid"]!.GetValue<long>() == 2 && json["statusFacets"]!["placed"]!.GetValue<long>() == 3;
        }, TimeSpan.FromSeconds(60), "the order_search read model to hold the 8 seeded orders");
    }

    private async Task Place(int number, string customer, string name, string city, string currency,
        (string, string, int, decimal)[] lines, decimal? pay = null, bool ship = false, bool cancel = false)
    {
        var at = T0.AddDays(number - 1);
        Clock.Set(at);
        var id = await Client.PlaceAsync(Api.NewOrder(Guid.NewGuid(), customer, name, city, currency, lines));
        Orders[number] = id;
        if (pay is { } amount)
        {
            Clock.Set(at.AddHours(1));
            await Expect(Client.SendAsync(HttpMethod.Post, $"/orders/{id}/payment", new JsonObject { ["amount"] = amount, ["paymentReference"] = $"PAY-{number}" }));
        }

        if (ship)
        {
            Clock.Set(at.AddHours(2));
            await Expect(Client.SendAsync(HttpMethod.Post, $"/orders/{id}/shipment", new JsonObject { ["carrier"] = "BlueDart", ["trackingNumber"] = $"BD{number}" }));
        }

        if (cancel)
        {
            Clock.Set(at.AddHours(3));
            await Expect(Client.SendAsync(HttpMethod.Post, $"/orders/{id}/cancellation", new JsonObject { ["reason"] = "found it cheaper" }));
        }
    }

    private static async Task Expect(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"seeding failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
