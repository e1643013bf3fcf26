using System.Net;
using System.Text.Json.Nodes;
using EventSourcing.OrderDomain.Tests.Http;

namespace EventSourcing.OrderDomain.Tests.Search;

/// <summary>GET /search/orders on the PostgreSQL read model, over the known data set of <see cref="SearchDataFixture"/>.</summary>
public sealed class PostgresSearchTests(SearchDataFixture data) : IClassFixture<SearchDataFixture>
{
    private async Task<JsonObject> Search(string query)
    {
        using var response = await data.Client.GetAsync("/search/orders" + query);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /search/orders{query} answered {(int)response.StatusCode}: {json.ToJsonString()}");
        return json;
    }

    private async Task<int[]> Numbers(string query) => Numbers(await Search(query));

    private int[] Numbers(JsonObject result)
    {
        var byId = data.Orders.ToDictionary(o => o.Value, o => o.Key);
        return [.. result["hits"]!.AsArray().Select(h => byId[h!["orderId"]!.GetValue<Guid>()])];
    }

    [Fact]
    public async Task everything_newest_first_with_the_total_and_the_status_facets()
    {
        var result = await Search("");
        Assert.Equal(8, result["total"]!.GetValue<long>());
        Assert.Equal([8, 7, 6, 5, 4, 3, 2, 1], Numbers(result));
        var facets = result["statusFacets"]!;
        Assert.Equal(3, facets["placed"]!.GetValue<long>());
        Assert.Equal(2, facets["paid"]!.GetValue<long>());
        Assert.Equal(2, facets["shipped"]!.GetValue<long>());
        Assert.Equal(1, facets["cancelled"]!.GetValue<long>());
    }

    [Fact]
    public async Task a_hit_carries_the_whole_order_document()
    {
        var hit = (await Search("?customer=cust-vikram"))["hits"]!.AsArray().Single()!;
        Assert.Equal("Vikram Singh", hit["customerName"]!.GetValue<string>());
        Assert.Equal("paid", hit["status"]!.GetValue<string>());
        Assert.Equal(1398m, hit["total"]!.GetValue<decimal>());
        Assert.Equal("INR", hit["currency"]!.GetValue<string>());
        Assert.Equal("Mumbai", hit["shippingCity"]!.GetValue<string>());
        Assert.Equal("IN", hit["shippingCountry"]!.GetValue<string>());
        Assert.Equal(SearchDataFixture.T0.AddDays(2), hit["placedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(SearchDataFixture.T0.AddDays(2).AddHours(1), hit["paidAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(["Darjeeling Tea", "Stoneware Mug"], hit["lines"]!.AsArray().Select(l => l!["productName"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("tea", new[] { 7, 5, 3, 1 })]
    [InlineData("TEA", new[] { 7, 5, 3, 1 })]
    [InlineData("mumbai", new[] { 8, 3 })]
    [InlineData("asha", new[] { 2, 1 })]
    [InlineData("tea mumbai", new[] { 3 })]
    [InlineData("O'Brien", new[] { 5 })]
    [InlineData("spaceship", new int[0])]
    public async Task full_text_searches_customer_names_product_names_and_cities(string q, int[] expected) =>
        Assert.Equal(expected, await Numbers("?q=" + Uri.EscapeDataString(q)));

    [Fact]
    public async Task the_status_filter_narrows_the_hits_but_not_the_facets()
    {
        var result = await Search("?status=paid");
        Assert.Equal([7, 3], Numbers(result));
        Assert.Equal(2, result["total"]!.GetValue<long>());
        Assert.Equal(3, result["statusFacets"]!["placed"]!.GetValue<long>());
        Assert.Equal(new[] { 8, 7, 5, 3, 2 }, await Numbers("?status=placed,paid"));
    }

    [Fact]
    public async Task facets_follow_the_other_filters()
    {
        var facets = (await Search("?q=tea"))["statusFacets"]!;
        Assert.Equal(1, facets["placed"]!.GetValue<long>());
        Assert.Equal(2, facets["paid"]!.GetValue<long>());
        Assert.Equal(1, facets["shipped"]!.GetValue<long>());
        Assert.Equal(0, facets["cancelled"]!.GetValue<long>());
    }

    [Fact]
    public async Task filter_by_customer() => Assert.Equal(new[] { 2, 1 }, await Numbers("?customer=cust-asha"));

    [Fact]
    public async Task filter_by_placed_time_range_inclusive()
    {
        var from = Uri.EscapeDataString(SearchDataFixture.T0.AddDays(2).ToString("O"));
        var to = Uri.EscapeDataString(SearchDataFixture.T0.AddDays(4).ToString("O"));
        Assert.Equal(new[] { 5, 4, 3 }, await Numbers($"?from={from}&to={to}"));
        Assert.Equal(new[] { 8, 7, 6 }, await Numbers("?from=2026-03-06"));
    }

    [Fact]
    public async Task filter_by_total()
    {
        Assert.Equal(new[] { 7, 6, 3 }, await Numbers("?minTotal=1000"));
        Assert.Equal(new[] { 5, 2 }, await Numbers("?maxTotal=400"));
        Assert.Equal(new[] { 4, 1 }, await Numbers("?minTotal=500&maxTotal=540"));
    }

    [Fact]
    public async Task sort_by_total_customer_name_and_placed_time()
    {
        Assert.Equal(new[] { 5, 2, 8, 1, 4, 6, 3, 7 }, await Numbers("?sort=total"));
        Assert.Equal(new[] { 7, 3, 6, 4, 1, 8, 2, 5 }, await Numbers("?sort=-total"));
        Assert.Equal(new[] { 1, 2, 5, 4, 6, 7, 8, 3 }, await Numbers("?sort=customerName"));
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7, 8 }, await Numbers("?sort=placedAt"));
    }

    [Fact]
    public async Task paging_returns_one_page_and_the_full_total()
    {
        var page = await Search("?sort=total&pageSize=3&page=2");
        Assert.Equal([1, 4, 6], Numbers(page));
        Assert.Equal(8, page["total"]!.GetValue<long>());
        Assert.Equal(2, page["page"]!.GetValue<int>());
        Assert.Equal(3, page["pageSize"]!.GetValue<int>());
        Assert.Empty(Numbers(await Search("?sort=total&pageSize=3&page=4")));
    }
}
