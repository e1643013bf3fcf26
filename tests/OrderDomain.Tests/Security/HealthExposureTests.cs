using Microsoft.Extensions.DependencyInjection;
using System.Net;
using EventSourcing.OrderDomain.Tests.Http;
using Npgsql;
using OrderDomain.Security;

namespace EventSourcing.OrderDomain.Tests.Security;

public sealed class HealthExposureTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task health_answers_anonymous_callers_with_statuses_only(string path)
    {
        using var anonymous = api.CreateClient(token: null);
        using var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var text = await response.Content.ReadAsStringAsync();
        var database = new NpgsqlConnectionStringBuilder(api.Postgres.ConnectionString);
        Assert.DoesNotContain(database.Host!, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(database.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        var body = await response.JsonAsync();
        Assert.Equal(["status", "checks"], body.Select(p => p.Key));
        foreach (var (_, check) in body["checks"]!.AsObject())
            Assert.Equal(["status"], check!.AsObject().Select(p => p.Key));
        if (path == "/health/ready")
            Assert.Equal("Healthy", body["checks"]!["postgres"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task operators_read_the_details_at_operations_status()
    {
        using var operatorClient = api.CreateClient(api.Token("operator", [OrderRoles.Operations]));
        using var response = await operatorClient.GetAsync("/operations/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("PostgreSQL answers", body["checks"]!["postgres"]!["description"]!.GetValue<string>());
        // the lag check describes itself (its data lists only the read models that ran a batch in this process)
        Assert.NotNull(body["checks"]!["projection-lag"]!["description"]);
        var projections = body["projections"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["customer_orders", "order_search"], projections);
    }

    [Fact]
    public async Task operations_status_shows_a_rebuilt_version_waiting_for_its_swap()
    {
        // a rebuild's request recorded while no batch has taken it yet: what an operator sees when the daemon is not running
        var store = api.Services.GetRequiredService<EventSourcing.Projections.Daemon.ProjectionStore>();
        await store.EnsureSchemaAsync(CancellationToken.None);
        await store.RequestSwapAsync("customer_orders", 99, 0, CancellationToken.None);
        try
        {
            using var operatorClient = api.CreateClient(api.Token("operator", [OrderRoles.Operations]));
            var body = await (await operatorClient.GetAsync("/operations/status")).JsonAsync();
            var row = body["projections"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "customer_orders")!;
            Assert.Equal("swap-pending", row["state"]!.GetValue<string>());
            Assert.Equal(99, row["pendingVersion"]!.GetValue<int>());
        }
        finally
        {
            await using var clear = api.Postgres.DataSource.CreateCommand(
                $"update {api.ReadModelSchema}.projection_state set swap_version = null, swap_built_through = null, swap_requested_at = null where name = 'customer_orders'");
            await clear.ExecuteNonQueryAsync();
        }
    }
}
