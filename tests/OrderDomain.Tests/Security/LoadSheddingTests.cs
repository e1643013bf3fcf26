using System.Net;
using System.Text;
using EventSourcing.OrderDomain.Tests.Http;
using Microsoft.AspNetCore.Hosting;
using OrderDomain.Security;

namespace EventSourcing.OrderDomain.Tests.Security;

public sealed class LoadSheddingTests(LoadSheddingTests.Fixture api) : IClassFixture<LoadSheddingTests.Fixture>
{
    /// <summary>A bucket of 3 that refills 1 a second: a caller that sends 10 commands at once is refused some.</summary>
    public sealed class Fixture : OrderApiFixture
    {
        protected override void Configure(IWebHostBuilder builder) => builder
            .UseSetting("Orders:RateLimit:PermitsPerSecond", "1")
            .UseSetting("Orders:RateLimit:Burst", "3");
    }

    [Fact]
    public async Task a_caller_over_its_bucket_gets_429_with_retry_after_and_others_are_not_affected()
    {
        using var greedy = api.CreateClient(api.Token("greedy", [OrderRoles.Write, OrderRoles.Read]));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 10; i++)
        {
            var response = await greedy.SendAsync(HttpMethod.Post, "/orders", Api.NewOrder(Guid.NewGuid()));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && refused is null)
                refused = response;
            else
                response.Dispose();
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.Equal(HttpStatusCode.Created, statuses[0]);
            Assert.InRange(statuses.Count(s => s == HttpStatusCode.Created), 3, 9); // the burst, plus a refill a second
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After was '{refused.Headers.RetryAfter}'");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.JsonAsync();
            Assert.Equal(429, problem["status"]!.GetValue<int>());
            Assert.Equal("rate_limited", problem["rule"]!.GetValue<string>());
        }

        using var patient = api.CreateClient(api.Token("patient", [OrderRoles.Write]));
        using var placed = await patient.SendAsync(HttpMethod.Post, "/orders", Api.NewOrder(Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);

        using var read = await greedy.GetAsync("/search/orders?pageSize=1");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode); // reads are not rate limited
    }

    [Fact]
    public async Task a_10_mb_command_body_is_refused_with_413_before_it_is_read()
    {
        using var body = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"customerId\":\"" + new string('x', 10 * 1024 * 1024) + "\"}"));
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var client = api.CreateClient(api.Token("big-sender", [OrderRoles.Write]));

        using var response = await client.PostAsync("/orders", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal("request_too_large", problem["rule"]!.GetValue<string>());
        Assert.Contains(RequestBodyLimits.CommandBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void the_rate_limit_settings_are_validated_with_their_names()
    {
        Assert.True(new RateLimitOptions { PermitsPerSecond = 0, Burst = 0 }.Validate() is { Enabled: false });
        var negative = Assert.Throws<global::OrderDomain.Hosting.InvalidSettingException>(() => new RateLimitOptions { PermitsPerSecond = -1 }.Validate());
        Assert.Contains("Orders:RateLimit:PermitsPerSecond", negative.Message, StringComparison.Ordinal);
        var burst = Assert.Throws<global::OrderDomain.Hosting.InvalidSettingException>(() => new RateLimitOptions { PermitsPerSecond = 5, Burst = 0 }.Validate());
        Assert.Contains("Orders:RateLimit:Burst", burst.Message, StringComparison.Ordinal);
    }
}
