using System.Net;
using EventSourcing.OrderDomain.Tests.Http;

namespace EventSourcing.OrderDomain.Tests.Search;

/// <summary>Bad, hostile and oversized search input: a 400 naming the parameter, or a harmless literal search.</summary>
public sealed class SearchInputTests(SearchDataFixture data) : IClassFixture<SearchDataFixture>
{
    [Theory]
    [InlineData("?status=lost", "status")]
    [InlineData("?page=0", "page")]
    [InlineData("?page=abc", "page")]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?minTotal=-1", "minTotal")]
    [InlineData("?maxTotal=lots", "maxTotal")]
    [InlineData("?minTotal=10&maxTotal=5", "minTotal")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?from=2026-03-05&to=2026-03-01", "from")]
    [InlineData("?sort=price", "sort")]
    [InlineData("?sort=total;drop%20table%20x", "sort")]
    [InlineData("?status=paid'%20or%20'1'='1", "status")]
    [InlineData("?q=tea%00", "q")]
    [InlineData("?customer=a%0Ab", "customer")]
    public async Task bad_parameters_are_a_400_naming_the_parameter(string query, string parameter)
    {
        using var response = await data.Client.GetAsync("/search/orders" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.StartsWith(parameter + ":", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("q", 201)]
    [InlineData("q", 100_000)]
    [InlineData("customer", 65)]
    [InlineData("status", 5_000)]
    public async Task oversized_input_is_a_400(string parameter, int length)
    {
        using var response = await data.Client.GetAsync($"/search/orders?{parameter}={new string('a', length)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("q", "'; drop table orders; --")]
    [InlineData("q", "' or '1'='1")]
    [InlineData("q", "tea') or true --")]
    [InlineData("q", "!:* & | <-> (")]
    [InlineData("q", "\\\\ %_")]
    [InlineData("customer", "' OR 1=1 --")]
    [InlineData("customer", "cust-asha' --")]
    public async Task injection_attempts_are_searched_for_literally_and_find_nothing(string parameter, string value)
    {
        using var response = await data.Client.GetAsync($"/search/orders?{parameter}={Uri.EscapeDataString(value)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await response.JsonAsync())["total"]!.GetValue<long>());

        using var after = await data.Client.GetAsync("/search/orders");
        Assert.Equal(8, (await after.JsonAsync())["total"]!.GetValue<long>());
    }
}
