using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventSourcing.Reliability.Verification;

/// <summary>
/// What both sample read models must hold, folded here from the stored JSON of <c>mt_events</c> without
/// the sample's or the library's code: <c>order_search</c> (one document per order) and
/// <c>customer_orders</c> (one per customer), each with its version, the sequence of the last event it
/// took. An event type this fold does not know fails it: a new event must be added here on purpose.
/// </summary>
public sealed class IndependentFold
{
    /// <summary>Log entries that are not order events: the rebuild's hand-over marker and Marten's gap filler.</summary>
    public static IReadOnlySet<string> NotDomainEvents { get; } = new HashSet<string>(StringComparer.Ordinal) { "read_model_swap_requested", "tombstone" };

    public Dictionary<string, ExpectedDocument> Orders { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ExpectedDocument> Customers { get; } = new(StringComparer.Ordinal);

    public static IndependentFold Of(IEnumerable<StoredEvent> log)
    {
        var fold = new IndependentFold();
        foreach (var e in log)
            fold.Apply(e);
        return fold;
    }

    private void Apply(StoredEvent e)
    {
        var d = e.Data;
        switch (e.Type)
        {
            case "order.placed" or "order.placed_v2":
                Placed(e, d);
                break;
            case "order.item_added":
                var line = d.GetProperty("line");
                ChangeOrder(e, doc => AddLine(doc, line));
                break;
            case "order.item_removed":
                var sku = d.GetProperty("sku").GetString();
                ChangeOrder(e, doc =>
                {
                    var lines = (JsonArray)doc["lines"]!;
                    foreach (var removed in lines.Where(l => (string?)l!["sku"] == sku).ToList())
                        lines.Remove(removed);
                    doc["total"] = Total(lines);
                });
                break;
            case "order.payment_confirmed":
                ChangeOrder(e, doc => { doc["status"] = "paid"; doc["paidAt"] = d.GetProperty("paidAt").GetString(); });
                ChangeCustomer(e, d.GetProperty("customerId").GetString()!,
                    doc => AddValue(doc, d.GetProperty("currency").GetString()!, d.GetProperty("amount").GetDecimal()));
                break;
            case "order.shipped" or "order.dispatched":
                ChangeOrder(e, doc => { doc["status"] = "shipped"; doc["shippedAt"] = d.GetProperty("shippedAt").GetString(); });
                break;
            case "order.cancelled":
                ChangeOrder(e, doc => { doc["status"] = "cancelled"; doc["cancelledAt"] = d.GetProperty("cancelledAt").GetString(); });
                var refunded = d.GetProperty("refundedAmount").GetDecimal();
                ChangeCustomer(e, d.GetProperty("customerId").GetString()!,
                    doc => { if (refunded != 0m) AddValue(doc, d.GetProperty("currency").GetString()!, -refunded); });
                break;
            default:
                if (!NotDomainEvents.Contains(e.Type))
                    throw new InvalidOperationException($"event #{e.Sequence} has type '{e.Type}', which the reliability suite's fold does not know; add it to {nameof(IndependentFold)}");
                break;
        }
    }

    private void Placed(StoredEvent e, JsonElement d)
    {
        var orderId = d.GetProperty("orderId").GetString()!;
        var lines = new JsonArray();
        foreach (var l in d.GetProperty("lines").EnumerateArray())
            lines.Add(Line(l));
        var address = d.GetProperty("shippingAddress");
        var placedAt = d.GetProperty("placedAt").GetString()!;
        var order = Orders[orderId] = new ExpectedDocument(orderId);
        order.Data = new JsonObject
        {
            ["orderId"] = orderId,
            ["customerId"] = d.GetProperty("customerId").GetString(),
            ["customerName"] = d.GetProperty("customerName").GetString(),
            ["status"] = "placed",
            ["lines"] = lines,
            ["total"] = Total(lines),
            // v1 events had no currency: they were all in rupees
            ["currency"] = d.TryGetProperty("currency", out var currency) && currency.ValueKind == JsonValueKind.String ? currency.GetString() : "INR",
            ["placedAt"] = placedAt,
            ["paidAt"] = null,
            ["shippedAt"] = null,
            ["cancelledAt"] = null,
            ["shippingCity"] = address.GetProperty("city").GetString(),
            ["shippingCountry"] = address.GetProperty("country").GetString(),
        };
        order.Folded(e);

        var customerId = d.GetProperty("customerId").GetString()!;
        var customerName = d.GetProperty("customerName").GetString();
        if (!Customers.TryGetValue(customerId, out var customer))
        {
            customer = Customers[customerId] = new ExpectedDocument(customerId);
            customer.Data = new JsonObject
            {
                ["customerId"] = customerId, ["customerName"] = customerName, ["orderCount"] = 1,
                ["lifetimeValue"] = new JsonObject(), ["lastOrderId"] = orderId, ["lastOrderAt"] = placedAt,
            };
        }
        else
        {
            var doc = customer.Data;
            doc["customerName"] = customerName;
            doc["orderCount"] = (int)doc["orderCount"]! + 1;
            if (DateTimeOffset.Parse(placedAt, System.Globalization.CultureInfo.InvariantCulture) >=
                DateTimeOffset.Parse((string)doc["lastOrderAt"]!, System.Globalization.CultureInfo.InvariantCulture))
            {
                doc["lastOrderId"] = orderId;
                doc["lastOrderAt"] = placedAt;
            }
        }

        customer.Folded(e);
    }

    private void ChangeOrder(StoredEvent e, Action<JsonObject> change)
    {
        var orderId = e.Data.GetProperty("orderId").GetString()!;
        if (!Orders.TryGetValue(orderId, out var order))
            throw new InvalidOperationException($"event #{e.Sequence} ({e.Type}) changes order {orderId}, which was never placed");
        change(order.Data);
        order.Folded(e);
    }

    private void ChangeCustomer(StoredEvent e, string customerId, Action<JsonObject> change)
    {
        if (!Customers.TryGetValue(customerId, out var customer))
            throw new InvalidOperationException($"event #{e.Sequence} ({e.Type}) changes customer {customerId}, who never placed an order");
        change(customer.Data);
        customer.Folded(e);
    }

    private static void AddLine(JsonObject order, JsonElement added)
    {
        var lines = (JsonArray)order["lines"]!;
        var sku = added.GetProperty("sku").GetString();
        var existing = lines.FirstOrDefault(l => (string?)l!["sku"] == sku);
        if (existing is null)
            lines.Add(Line(added));
        else
            existing["quantity"] = (int)existing["quantity"]! + added.GetProperty("quantity").GetInt32();
        order["total"] = Total(lines);
    }

    private static JsonObject Line(JsonElement l) => new()
    {
        ["sku"] = l.GetProperty("sku").GetString(),
        ["productName"] = l.GetProperty("productName").GetString(),
        ["quantity"] = l.GetProperty("quantity").GetInt32(),
        ["unitPrice"] = l.GetProperty("unitPrice").GetDecimal(),
    };

    private static decimal Total(JsonArray lines) => lines.Sum(l => (int)l!["quantity"]! * (decimal)l["unitPrice"]!);

    private static void AddValue(JsonObject customer, string currency, decimal amount)
    {
        var values = (JsonObject)customer["lifetimeValue"]!;
        values[currency] = (values[currency] is { } current ? (decimal)current : 0m) + amount;
    }
}
