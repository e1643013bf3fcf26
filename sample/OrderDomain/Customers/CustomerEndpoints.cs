using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using OrderDomain.Orders.Http;
using OrderDomain.Search;
using Wolverine.Http;

namespace OrderDomain.Customers;

/// <summary><c>GET /customers/{id}</c>: the <c>customer_orders</c> read model (order count, lifetime value, last order).</summary>
public static class CustomerEndpoints
{
    [WolverineGet("/customers/{id}", OperationId = "getCustomer")]
    [Tags("customers")]
    [ProducesResponseType(typeof(CustomerOrdersDocument), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound)]
    public static async Task<IResult> GetCustomer(string id, ReadModelDatabase database, OrderSearchStore store, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
            return OrderProblems.BadRequest("customer_id_invalid", "a customer id is 1 to 64 characters");
        await using var command = database.DataSource.CreateCommand($"select data::text from {store.CustomerOrdersView} where key = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = id });
        var json = await command.ExecuteScalarAsync(ct) as string;
        return json is null
            ? OrderProblems.Problem(StatusCodes.Status404NotFound, "customer not found", "customer_not_found", $"no orders of customer '{id}' are in the read model")
            : Results.Ok(JsonSerializer.Deserialize<CustomerOrdersDocument>(json, store.Json));
    }
}
