using System.Text.Json;
using EventSourcing.Reliability.Infrastructure;
using EventSourcing.Reliability.Load;
using EventSourcing.Reliability.Verification;
using Xunit.Abstractions;

namespace EventSourcing.Reliability.Scenarios;

/// <summary>
/// Scenario 5: eight identical requests (same Idempotency-Key, same body) released at the same instant,
/// for placing an order and then for paying it. Exactly one set of events may be appended, and every answer
/// must be the recorded one: a 2xx with the order, version and status of that one event, or
/// <c>409 idempotency_key_in_use</c> while the first is in flight; never a domain error.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class IdempotentRaceTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const int Copies = 8;

    [Fact]
    public async Task identical_idempotent_requests_append_once_and_all_get_the_recorded_answer()
    {
        await using var scenario = await Scenario.StartAsync(fixture, output, "idempotent_race");
        var rounds = 20 * SuiteSettings.Scale;
        var ledger = new WriteLedger();
        var service = await scenario.ServeAsync();
        using var http = ServiceHttp.Create(service.BaseAddress!);
        await using var database = scenario.NewDataSource();
        var failures = new List<string>();
        var random = scenario.Random;

        for (var round = 1; round <= rounds; round++)
        {
            var (sku, name, price) = Catalog.Products[random.Next(Catalog.Products.Count)];
            var quantity = random.Next(1, 5);
            var customer = Catalog.Customers[random.Next(Catalog.Customers.Count)];
            var place = JsonSerializer.Serialize(new
            {
                customerId = customer, customerName = Catalog.Names[random.Next(Catalog.Names.Count)], currency = "INR",
                lines = new[] { new { sku, productName = name, quantity, unitPrice = price } },
                shippingAddress = new { street = "1 Race Road", city = "Kochi", postalCode = "682001", country = "IN" },
            });
            var placeKey = $"race-place-{scenario.Seed}-{round}";
            var placed = await IdenticalRequests.SendAsync(http, HttpMethod.Post, "/orders", placeKey, place, Copies);
            var orderId = placed.FirstOrDefault(a => a.Succeeded)?.OrderId;
            if (orderId is null)
            {
                failures.Add($"round {round} place: no request succeeded: {string.Join(", ", placed)}");
                continue;
            }

            var log = await EventLog.ReadAsync(database);
            failures.AddRange(Check($"round {round} place", placed, log, orderId.Value, "order.placed_v2", 1, "placed", ledger, "place"));

            var pay = JsonSerializer.Serialize(new { amount = quantity * price, paymentReference = $"RACE-{round}" });
            var paid = await IdenticalRequests.SendAsync(http, HttpMethod.Post, $"/orders/{orderId}/payment", $"race-pay-{scenario.Seed}-{round}", pay, Copies);
            log = await EventLog.ReadAsync(database);
            failures.AddRange(Check($"round {round} pay", paid, log, orderId.Value, "order.payment_confirmed", 2, "paid", ledger, "pay"));
            scenario.Log($"round {round}/{rounds}: place {Summary(placed)}; pay {Summary(paid)}");
        }

        await scenario.VerifyAsync(ledger, searches: null, failures);
    }

    /// <summary>One event of the type at the version, and every answer the recorded one (or "in use, retry").</summary>
    private static IEnumerable<string> Check(string what, IReadOnlyList<RaceAnswer> answers, IReadOnlyList<StoredEvent> log,
        Guid orderId, string type, long version, string status, WriteLedger ledger, string command)
    {
        var events = log.Where(e => e.StreamId == orderId && e.Type == type).ToList();
        if (events.Count != 1)
            yield return $"{what}: {events.Count} {type} events in order {orderId}'s stream (versions {string.Join(", ", events.Select(e => e.Version))}), expected exactly 1";
        else if (events[0].Version != version)
            yield return $"{what}: the {type} event is at version {events[0].Version}, expected {version}";
        var wrong = new List<RaceAnswer>();
        foreach (var answer in answers)
        {
            if (answer.Succeeded)
            {
                ledger.Acknowledge(new AcknowledgedWrite(answer.OrderId!.Value, answer.Version!.Value, command, answer.Status));
                if (answer.OrderId != orderId || answer.Version != version || answer.OrderStatus != status)
                    wrong.Add(answer);
            }
            else if (!(answer.Status == 409 && answer.Rule == "idempotency_key_in_use"))
            {
                wrong.Add(answer);
            }
        }

        if (wrong.Count > 0)
            yield return $"{what}: {wrong.Count} of {answers.Count} answers were not the recorded one ({orderId} v{version} {status}): {Summary(wrong)}";
    }

    private static string Summary(IReadOnlyList<RaceAnswer> answers) =>
        string.Join(", ", answers.GroupBy(a => a.ToString()).Select(g => $"{g.Key} x{g.Count()}"));
}
